import type { Result } from './types.js';

/**
 * The web provider's URL rule: `text` must parse as a URL whose scheme is http or https (anything else,
 * `file:` and `ftp:` included, is refused). Pure; used by the provider and by `kubectl vireo lint`.
 */
export function parseWebUrl(text: string): Result<URL> {
  if (!URL.canParse(text)) return { ok: false, error: 'web metric url is not a valid URL' };
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `web metric url must be http or https, got ${url.protocol}` };
  }
  return { ok: true, value: url };
}
