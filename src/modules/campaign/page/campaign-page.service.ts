import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../../common/auth/auth.decorators.js';
import { Clock } from '../../../common/clock/clock.js';
import { NotFoundError, RuleViolationError } from '../../../common/errors/domain-error.js';
import { TransactionRunner } from '../../../database/transaction.js';
import { CampaignRepository } from '../campaign.repository.js';
import { CampaignService } from '../campaign.service.js';
import { EDITABLE, InvalidCampaignStateError } from '../campaign.state.js';
import { MediaService, type MediaView } from '../media/media.service.js';
import type { CampaignContentEntity, FaqEntry, TeamMember } from './campaign-page.entities.js';
import { CampaignPageRepository, type PageFields } from './campaign-page.repository.js';
import { renderStory } from './story-markdown.js';

export interface CampaignPageView {
  campaignId: string;
  /** The Markdown as the founder wrote it. */
  story: string;
  /** The story rendered to HTML and sanitised (raw HTML escaped, only safe links and own images). */
  storyHtml: string;
  category: string | null;
  cityCode: string | null;
  cover: MediaView | null;
  gallery: MediaView[];
  faq: FaqEntry[];
  team: TeamMember[];
  updatedAt: string;
}

export interface CampaignPageInput {
  story?: string;
  category?: string | null;
  cityCode?: string | null;
  coverMediaId?: string | null;
  gallery?: string[];
  faq?: FaqEntry[];
  team?: TeamMember[];
}

/**
 * A campaign's page (issue 16): story, category, city, cover, gallery, FAQ and team. The founder
 * edits it while the campaign is a DRAFT (or REJECTED); once LIVE only the FAQ may change (what
 * investors were shown at review stays what they read; material changes go through disclosures).
 * Reads follow the campaign's visibility (PLAT-01, CN-ECF-02/03).
 */
@Injectable()
export class CampaignPageService {
  constructor(
    private readonly campaignService: CampaignService,
    private readonly campaigns: CampaignRepository,
    private readonly pages: CampaignPageRepository,
    private readonly media: MediaService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async read(viewer: AuthUser | null, campaignId: string): Promise<CampaignPageView> {
    await this.campaignService.visible(viewer, campaignId);
    const page = await this.pages.find(campaignId);
    if (!page) throw new NotFoundError('Campaign');
    return this.view(page);
  }

  async edit(
    founderId: string,
    campaignId: string,
    input: CampaignPageInput,
  ): Promise<CampaignPageView> {
    const named = [...(input.coverMediaId ? [input.coverMediaId] : []), ...(input.gallery ?? [])];
    const known = await this.media.views(named);
    const unknown = named.find((sha) => !known.has(sha));
    if (unknown !== undefined)
      throw new RuleViolationError(
        'CAMPAIGN.UNKNOWN_MEDIA',
        'Upload the image first (POST /media).',
        {
          sha256: unknown,
        },
      );
    await this.transactions.run(async (tx) => {
      const campaign = await this.campaigns.lock(campaignId, tx);
      if (!campaign || campaign.founderId !== founderId) throw new NotFoundError('Campaign');
      const onlyFaq = Object.entries(input).every(([k, v]) => k === 'faq' || v === undefined);
      if (!EDITABLE.includes(campaign.status) && !(campaign.status === 'LIVE' && onlyFaq))
        throw new InvalidCampaignStateError(campaign.status, 'edited');
      const page = await this.pages.find(campaignId, tx);
      if (!page) throw new NotFoundError('Campaign');
      const fields: PageFields = {
        story: input.story ?? page.story,
        category: input.category !== undefined ? input.category : page.category,
        cityCode: input.cityCode !== undefined ? input.cityCode : page.cityCode,
        coverMediaId: input.coverMediaId !== undefined ? input.coverMediaId : page.coverMediaId,
        gallery: input.gallery ?? page.gallery,
        faq: input.faq ?? page.faq,
        team: input.team ?? page.team,
        updatedAt: this.clock.now(),
      };
      await this.pages.save(campaignId, fields, tx);
    });
    const saved = await this.pages.find(campaignId);
    if (!saved) throw new NotFoundError('Campaign');
    return this.view(saved);
  }

  private async view(page: CampaignContentEntity): Promise<CampaignPageView> {
    const media = await this.media.views([
      ...(page.coverMediaId ? [page.coverMediaId] : []),
      ...page.gallery,
    ]);
    return {
      campaignId: page.campaignId,
      story: page.story,
      storyHtml: renderStory(page.story),
      category: page.category,
      cityCode: page.cityCode,
      cover: page.coverMediaId ? (media.get(page.coverMediaId) ?? null) : null,
      gallery: page.gallery.flatMap((sha) => {
        const view = media.get(sha);
        return view ? [view] : [];
      }),
      faq: page.faq,
      team: page.team,
      updatedAt: page.updatedAt.toISOString(),
    };
  }
}
