import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MailText } from './mail-text';

describe('the demo mailbox', () => {
  it('shows URLs in a mail as text, never as links (a team name can carry one)', () => {
    const text = 'invited you to join its team named “Verify now: https://evil.example/login”\n\nJoin: http://localhost:3000/invitations/abc';
    const html = renderToStaticMarkup(createElement(MailText, { text }));
    expect(html).not.toContain('<a');
    expect(html).not.toContain('href');
    expect(html).toContain('https://evil.example/login');
    expect(html).toContain('http://localhost:3000/invitations/abc');
  });
});
