import MarkdownIt from 'markdown-it';

const MEDIA_SRC = /^\/api\/v1\/media\/[0-9a-f]{64}$/;

/**
 * The one Markdown renderer for campaign stories (issue 16: sanitised on output). Raw HTML in the
 * source is escaped, never passed through (`html: false`); links keep markdown-it's scheme check
 * (no javascript:, vbscript:, file:, data: except images) and open with rel="nofollow noopener
 * ugc"; images only from this service's own media (an outside image would track readers), any
 * other image is shown as its alt text.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx];
  const src = String(token?.attrGet('src') ?? '');
  const alt = md.utils.escapeHtml(String(token?.content ?? ''));
  if (!MEDIA_SRC.test(src)) return alt;
  return `<img src="${src}" alt="${alt}" loading="lazy">`;
};

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet('rel', 'nofollow noopener ugc');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderStory(markdown: string): string {
  return md.render(markdown);
}
