import type { Metadata } from 'next';
import { DemoBanner } from './_components/demo-banner';
import './globals.css';

export const metadata: Metadata = {
  title: 'Tally',
  description: 'Customer billing with items: credits, seats and API quotas, bought with Stripe and spent atomically.',
  icons: { icon: '/favicon.svg' },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <DemoBanner />
        {children}
      </body>
    </html>
  );
}
