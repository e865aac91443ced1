import type { Metadata } from 'next';
import { metadataBase } from '@/lib/env';
import { DemoBanner } from './_components/demo-banner';
import './globals.css';

export function generateMetadata(): Metadata {
  return {
    // Absolute URLs for the social card (app/opengraph-image.tsx): the app's own, read at request time.
    metadataBase: metadataBase(),
    title: 'Tally',
    description: 'Customer billing with items: credits, seats and API quotas, bought with Stripe and spent atomically.',
    icons: { icon: '/favicon.svg' },
  };
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-background font-sans text-foreground antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-card focus:px-3 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <DemoBanner />
        {children}
      </body>
    </html>
  );
}
