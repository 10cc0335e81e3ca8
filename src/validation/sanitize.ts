import DOMPurify from 'isomorphic-dompurify';

/**
 * Free text as plain text: markup removed (script and style with their content), entities
 * decoded. Repeated until stable, so "&lt;script&gt;" cannot come back as a live tag.
 */
export function sanitizeText(input: string): string {
  let text = input;
  for (let pass = 0; pass < 5; pass++) {
    const cleaned = DOMPurify.sanitize(text, { ALLOWED_TAGS: [], KEEP_CONTENT: true, RETURN_DOM: true }).textContent ?? '';
    if (cleaned === text) break;
    text = cleaned;
  }
  return text.trim();
}
