import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import type { HoldingView } from './register.service.js';

/** What the signature covers, in this order: the certificate's every fact. */
const SIGNED_FIELDS = [
  'id',
  'campaignId',
  'certificateNo',
  'investorId',
  'units',
  'unitPrice',
  'cost',
  'currency',
  'shareClass',
  'vehicle',
  'legalHolder',
  'entry',
  'correctsId',
  'issuedAt',
] as const satisfies readonly (keyof HoldingView)[];

/** The signed text: a version line, then `field=value` per line (null as empty). */
export function certificateText(h: HoldingView): string {
  return [
    'zhongchou-holding-certificate-v1',
    ...SIGNED_FIELDS.map((f) => `${f}=${String(h[f] ?? '')}`),
  ].join('\n');
}

/**
 * The platform's signature on a holding certificate (issue 15): HMAC-SHA256 of `certificateText`
 * under DOCUMENT_SIGNING_KEY, hex. Anyone holding the key (the platform, an auditor it trusts)
 * recomputes it; a changed number, name or date does not match.
 */
@Injectable()
export class CertificateSigner {
  constructor(@Inject(ledgerConfig.KEY) private readonly config: LedgerConfig) {}

  sign(h: HoldingView): string {
    return createHmac('sha256', this.config.documentSigningKey)
      .update(certificateText(h), 'utf8')
      .digest('hex');
  }

  verify(h: HoldingView, signature: string): boolean {
    const expected = Buffer.from(this.sign(h), 'hex');
    const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The holding certificate (股权凭证) as a self-contained, printable HTML page, signed. */
export function certificateDocument(
  h: HoldingView & { campaignTitle: string },
  signature: string,
): string {
  const row = (label: string, value: string, name: string) =>
    `<tr><th>${escapeHtml(label)}</th><td data-field="${name}">${escapeHtml(value)}</td></tr>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>持股凭证 Holding certificate No. ${h.certificateNo}</title></head><body>`,
    '<h1>持股凭证 / Holding certificate</h1>',
    '<table>',
    row('凭证编号 Certificate no.', String(h.certificateNo), 'certificateNo'),
    row('发行项目 Issue', h.campaignTitle, 'campaignTitle'),
    row('持有人 Holder', h.holderNameMasked, 'holder'),
    ...(h.legalHolder
      ? [row('名义持有人 Nominee (legal holder)', h.legalHolder, 'legalHolder')]
      : []),
    row('股份类别 Share class', h.shareClass, 'shareClass'),
    row('份数 Units', h.units, 'units'),
    row('每份价格 Unit price', `${h.unitPrice} ${h.currency}`, 'unitPrice'),
    row('成本 Cost', `${h.cost} ${h.currency}`, 'cost'),
    ...(h.correctsId ? [row('更正 Corrects', h.correctsId, 'correctsId')] : []),
    row('登记时间 Recorded', h.issuedAt, 'issuedAt'),
    '</table>',
    `<p>平台签名 Platform signature (HMAC-SHA256): <code data-field="signature">${signature}</code></p>`,
    `<pre data-field="signed">${escapeHtml(certificateText(h))}</pre>`,
    '</body></html>',
    '',
  ].join('\n');
}
