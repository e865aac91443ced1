/**
 * A mail's text as plain text, URLs included: never turned into links. The text holds words anyone
 * chose (a team's name, an account's), so a link here could lead anywhere; whoever follows a mailed
 * link copies it, as from any mail that could be a forgery.
 */
export function MailText({ text }: { text: string }) {
  return <p className="text-sm break-words whitespace-pre-wrap text-foreground">{text}</p>;
}
