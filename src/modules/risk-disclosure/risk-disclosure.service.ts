import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Subject } from 'rxjs';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import type {
  DisclosureAcknowledgementEntity,
  DisclosureDocumentEntity,
  DisclosureVersionEntity,
} from './risk-disclosure.entities.js';
import {
  AcknowledgementRequiredError,
  StaleDisclosureVersionError,
} from './risk-disclosure.errors.js';
import { clientTraces, validateDisclosureInput } from './risk-disclosure.inputs.js';
import {
  type AcknowledgementStateRow,
  RiskDisclosureRepository,
} from './risk-disclosure.repository.js';
import {
  composeCampaignDisclosureBody,
  sha256Hex,
  STANDARD_CAMPAIGN_WARNINGS,
} from './risk-disclosure.texts.js';
import type {
  AcknowledgementEvidence,
  AcknowledgementReceipt,
  AcknowledgementView,
  CampaignDisclosureScope,
  CampaignDisclosureView,
  ClientInfo,
  CurrentAcknowledgements,
  DisclosureCampaignKind,
  DisclosureInput,
  MaterialDisclosureChange,
  MissingAcknowledgement,
  PlatformDisclosureView,
} from './risk-disclosure.types.js';
import { toCampaignView, toReceipt } from './risk-disclosure.views.js';

/**
 * Risk disclosure (CN-ECF-10, CN-SUIT-15, CN-SUIT-16, CN-SUIT-11): the platform's 风险揭示书,
 * versioned campaign disclosures and lead memos, acknowledgements of exact versions. Versions are
 * immutable and hashed; every change is audited in the same transaction (CONV-05).
 */
@Injectable()
export class RiskDisclosureService implements OnModuleDestroy {
  /** Emits after commit when a campaign publishes a `material` version (reconfirmation, CN-SUIT-14). */
  readonly materialChanges$ = new Subject<MaterialDisclosureChange>();

  constructor(
    private readonly repo: RiskDisclosureRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  onModuleDestroy(): void {
    this.materialChanges$.complete();
  }

  async currentPlatformDisclosure(): Promise<PlatformDisclosureView> {
    const { current } = await this.platform();
    return {
      version: current.version,
      title: current.title,
      sha256: current.sha256,
      body: current.body,
    };
  }

  /** CN-ECF-10: the investor signs the platform's general risk disclosure, one exact version. */
  async acknowledgePlatform(
    userId: string,
    version: number,
    client: ClientInfo,
  ): Promise<AcknowledgementReceipt> {
    const { document } = await this.platform();
    return this.acknowledge(userId, document, version, client);
  }

  /**
   * A new version of a campaign's disclosure (CN-ECF-07): the founder's text followed by the
   * platform's standard warning for the campaign kind (CN-SUIT-15), numbered without gaps.
   */
  async publishCampaignDisclosure(
    campaignId: string,
    campaignKind: DisclosureCampaignKind,
    authorId: string,
    input: DisclosureInput,
  ): Promise<CampaignDisclosureView> {
    validateDisclosureInput(campaignKind, input);
    const published = await this.transactions.run((tx) =>
      this.publishIn(tx, campaignId, campaignKind, authorId, input),
    );
    this.announce(published);
    return toCampaignView(published);
  }

  /**
   * The same publication inside the caller's transaction (`authorId` null: the platform itself,
   * e.g. a lead investor's withdrawal, issue 15). A material version reaches the pledges through
   * `announce` after the caller commits, or through the sweep (`recentMaterialChanges`).
   */
  async publishIn(
    tx: Tx,
    campaignId: string,
    campaignKind: DisclosureCampaignKind,
    authorId: string | null,
    input: DisclosureInput,
  ): Promise<DisclosureVersionEntity & { campaignId: string }> {
    validateDisclosureInput(campaignKind, input);
    const body = composeCampaignDisclosureBody(input.body, campaignKind);
    return this.insertVersion(
      tx,
      campaignId,
      'CAMPAIGN',
      authorId,
      { ...input, body },
      {
        rules: ['CN-ECF-07', 'CN-ECF-10', 'CN-SUIT-15'],
        campaignKind,
        standardWarningVersion: STANDARD_CAMPAIGN_WARNINGS[campaignKind].version,
      },
    );
  }

  /** After commit: a material version starts reconfirmation now, not at the next sweep. */
  announce(version: (DisclosureVersionEntity & { campaignId: string }) | null): void {
    if (!version?.material) return;
    this.materialChanges$.next({
      campaignId: version.campaignId,
      version: version.version,
      publishedAt: version.publishedAt,
    });
  }

  /** The lead investor's due-diligence note (issue 15): LEAD_MEMO, versioned, never material. */
  async publishLeadMemo(
    campaignId: string,
    authorId: string,
    input: Omit<DisclosureInput, 'material'>,
  ): Promise<CampaignDisclosureView> {
    validateDisclosureInput('EQUITY', { ...input, material: false });
    const published = await this.transactions.run((tx) =>
      this.insertVersion(
        tx,
        campaignId,
        'LEAD_MEMO',
        authorId,
        { title: input.title, body: input.body, material: false },
        { rules: ['CN-ECF-07', 'CN-ECF-10', 'D: lead investor memo (issue 15)'] },
      ),
    );
    return toCampaignView(published);
  }

  /** Version numbers are handed out under a lock on the document: 1, 2, 3... without gaps. */
  private async insertVersion(
    tx: Tx,
    campaignId: string,
    scope: CampaignDisclosureScope,
    authorId: string | null,
    input: DisclosureInput,
    auditDetails: Record<string, unknown>,
  ): Promise<DisclosureVersionEntity & { campaignId: string }> {
    const now = this.clock.now();
    const document = await this.repo.lockCampaignDocumentForPublication(campaignId, now, tx, scope);
    const previous = await this.repo.latestVersion(document.id, tx);
    const version: DisclosureVersionEntity = {
      documentId: document.id,
      version: (previous?.version ?? 0) + 1,
      title: input.title,
      body: input.body,
      sha256: sha256Hex(input.body),
      material: input.material,
      publishedBy: authorId,
      publishedAt: now,
    };
    await this.repo.insertVersion(version, tx);
    await this.audit.append(
      {
        occurredAt: now,
        actorId: authorId,
        action: scope === 'LEAD_MEMO' ? 'disclosure.lead_memo_published' : 'disclosure.published',
        subjectType: 'campaign',
        subjectId: campaignId,
        details: {
          ...auditDetails,
          documentId: document.id,
          version: version.version,
          sha256: version.sha256,
          material: version.material,
        },
      },
      tx,
    );
    return { ...version, campaignId };
  }

  /** Material changes on record, for the sweep that applies any `materialChanges$` missed. */
  recentMaterialChanges(since: Date): Promise<MaterialDisclosureChange[]> {
    return this.repo.materialChangesSince(since);
  }

  async currentCampaignDisclosure(
    campaignId: string,
    scope: CampaignDisclosureScope = 'CAMPAIGN',
  ): Promise<CampaignDisclosureView> {
    const document = await this.repo.campaignDocument(campaignId, undefined, scope);
    const current = document ? await this.repo.latestVersion(document.id) : null;
    if (!current)
      throw new NotFoundError(scope === 'LEAD_MEMO' ? 'Lead memo' : 'Campaign disclosure', {
        campaignId,
      });
    return toCampaignView(current);
  }

  /** CN-SUIT-15/16: the investor acknowledges one exact version of a campaign's disclosure. */
  async acknowledgeCampaign(
    userId: string,
    campaignId: string,
    version: number,
    client: ClientInfo,
    scope: CampaignDisclosureScope = 'CAMPAIGN',
  ): Promise<AcknowledgementReceipt> {
    const document = await this.repo.campaignDocument(campaignId, undefined, scope);
    if (!document)
      throw new NotFoundError(scope === 'LEAD_MEMO' ? 'Lead memo' : 'Campaign disclosure', {
        campaignId,
      });
    return this.acknowledge(userId, document, version, client);
  }

  /** One cursor page of the user's acknowledgements, newest first (issue 16). */
  async listAcknowledgements(
    userId: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<AcknowledgementView>> {
    const rows = await this.repo.listAcknowledgements(userId, page);
    return {
      nextCursor: rows.nextCursor,
      items: rows.items.map((r) => ({
        id: r.id,
        scope: r.scope,
        campaignId: r.campaignId,
        version: r.version,
        documentSha256: r.sha256,
        acknowledgedAt: r.acknowledgedAt.toISOString(),
        current: r.current,
      })),
    };
  }

  /**
   * CN-ECF-10, CN-ECF-13 RISK_DISCLOSURE_SIGNED, CN-SUIT-15: the current versions acknowledged,
   * else DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED naming what is missing (see requireAcknowledged).
   */
  async requireCurrentAcknowledgements(
    userId: string,
    campaignId: string,
  ): Promise<CurrentAcknowledgements> {
    return this.requireAcknowledged(
      await this.acknowledgementState(userId, campaignId),
      campaignId,
    );
  }

  /** One read of the platform's and the campaign's current versions and this user's receipts. */
  acknowledgementState(userId: string, campaignId: string): Promise<AcknowledgementStateRow[]> {
    return this.repo.acknowledgementState(userId, campaignId);
  }

  /**
   * DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED unless the current platform and campaign versions were
   * acknowledged, and the lead's memo too when the campaign has one and `leadMemo` asks for it (a
   * follower, issue 15; the lead does not acknowledge their own note).
   */
  requireAcknowledged(
    state: readonly AcknowledgementStateRow[],
    campaignId: string,
    options: { leadMemo: boolean } = { leadMemo: true },
  ): CurrentAcknowledgements {
    const platform = state.find((d) => d.scope === 'PLATFORM' && d.version !== null);
    if (!platform) throw new NotFoundError('Platform risk disclosure');
    const campaign = state.find((d) => d.scope === 'CAMPAIGN');
    const memo = options.leadMemo
      ? state.find((d) => d.scope === 'LEAD_MEMO' && d.version !== null)
      : undefined;

    const missing: MissingAcknowledgement[] = [];
    if (!platform.acknowledgementId) {
      missing.push({
        scope: 'PLATFORM',
        campaignId: null,
        currentVersion: platform.version,
        currentSha256: platform.sha256,
      });
    }
    if (!campaign?.acknowledgementId) {
      missing.push({
        scope: 'CAMPAIGN',
        campaignId,
        currentVersion: campaign?.version ?? null,
        currentSha256: campaign?.sha256 ?? null,
      });
    }
    if (memo && !memo.acknowledgementId) {
      missing.push({
        scope: 'LEAD_MEMO',
        campaignId,
        currentVersion: memo.version,
        currentSha256: memo.sha256,
      });
    }
    if (!platform.acknowledgementId || !campaign?.acknowledgementId || missing.length > 0)
      throw new AcknowledgementRequiredError(missing);
    return {
      platformReceiptId: platform.acknowledgementId,
      campaignReceiptId: campaign.acknowledgementId,
      leadMemoReceiptId: memo?.acknowledgementId ?? null,
    };
  }

  /** The acknowledgements behind a decision, as evidence (CN-SUIT-16): kind, version, hash, time. */
  async acknowledgementEvidence(ids: readonly string[]): Promise<AcknowledgementEvidence[]> {
    if (ids.length === 0) return [];
    return this.repo.acknowledgementEvidence(ids);
  }

  private async platform(): Promise<{
    document: DisclosureDocumentEntity;
    current: DisclosureVersionEntity;
  }> {
    const document = await this.repo.platformDocument();
    const current = document ? await this.repo.latestVersion(document.id) : null;
    if (!document || !current) throw new NotFoundError('Platform risk disclosure');
    return { document, current };
  }

  /**
   * Only the current version can be acknowledged (409 DISCLOSURE.STALE_VERSION otherwise, with the
   * current version and hash). Acknowledging it again returns the original receipt.
   */
  private acknowledge(
    userId: string,
    document: DisclosureDocumentEntity,
    version: number,
    client: ClientInfo,
  ): Promise<AcknowledgementReceipt> {
    return this.transactions.run(async (tx) => {
      await this.repo.lockDocumentForAcknowledgement(document.id, tx);
      const current = await this.repo.latestVersion(document.id, tx);
      // Versions are numbered 1..current without gaps: anything else never existed.
      if (!current || !Number.isInteger(version) || version < 1 || version > current.version)
        throw new NotFoundError('Disclosure version', { version });
      if (version !== current.version)
        throw new StaleDisclosureVersionError(version, current.version, current.sha256);
      const acknowledgement: DisclosureAcknowledgementEntity = {
        id: randomUUID(),
        userId,
        documentId: document.id,
        version: current.version,
        sha256: current.sha256,
        acknowledgedAt: this.clock.now(),
        ...clientTraces(client),
      };
      if (!(await this.repo.insertAcknowledgement(acknowledgement, tx))) {
        const original = await this.repo.findAcknowledgement(userId, document.id, version, tx);
        if (!original) throw new NotFoundError('Acknowledgement');
        return toReceipt(original);
      }
      await this.audit.append(
        {
          occurredAt: acknowledgement.acknowledgedAt,
          actorId: userId,
          action: 'disclosure.acknowledged',
          subjectType: document.scope === 'PLATFORM' ? 'platform_disclosure' : 'campaign',
          subjectId: document.campaignId ?? document.id,
          details: {
            scope: document.scope,
            rules:
              document.scope === 'PLATFORM'
                ? ['CN-ECF-10', 'CN-SUIT-16']
                : ['CN-ECF-10', 'CN-SUIT-15', 'CN-SUIT-16'],
            acknowledgementId: acknowledgement.id,
            documentId: document.id,
            version: acknowledgement.version,
            sha256: acknowledgement.sha256,
          },
        },
        tx,
      );
      return toReceipt(acknowledgement);
    });
  }
}
