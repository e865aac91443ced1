import { z } from 'zod';

/**
 * The metered API's sample operation: a summary of a text that is the same for the same text (its
 * first sentences up to 200 characters), with counts. A fork replaces it with its real work.
 */
export const summarizeInput = z.object({
  text: z.string().trim().min(1, 'Send the text to summarize in "text".').max(20_000, 'Send at most 20,000 characters.'),
});

export function summarize({ text }: z.output<typeof summarizeInput>) {
  const sentences = text
    .match(/[^.!?]+[.!?]*/g)
    ?.map((s) => s.trim())
    .filter(Boolean) ?? [text];
  let summary = '';
  for (const sentence of sentences) {
    if (summary && summary.length + sentence.length + 1 > 200) break;
    summary = summary ? `${summary} ${sentence}` : sentence;
  }
  return {
    summary: summary.length > 200 ? `${summary.slice(0, 199)}…` : summary,
    sentences: sentences.length,
    words: text.split(/\s+/).filter(Boolean).length,
  };
}
