import { ImageResponse } from 'next/og';

// The social card: rendered once at build from this file (next/og's bundled font; nothing is fetched).
export const alt = 'Tally: credits, seats and API quotas your customers buy with Stripe';
export const size = { width: 1200, height: 630 };
export const contentType = 'image/png';

export default function OpenGraphImage() {
  return new ImageResponse(
    <div style={{ width: '100%', height: '100%', display: 'flex', flexDirection: 'column', justifyContent: 'center', padding: 80, background: '#f8fafc' }}>
      <div style={{ fontSize: 36, fontWeight: 700, color: '#4f46e5', letterSpacing: 4 }}>TALLY</div>
      <div style={{ marginTop: 24, fontSize: 72, fontWeight: 700, color: '#0f172a', lineHeight: 1.1 }}>Credits, seats and quotas your customers buy.</div>
      <div style={{ marginTop: 32, fontSize: 32, color: '#475569' }}>Bought with Stripe, refilled every period, spent atomically.</div>
      <div style={{ marginTop: 48, display: 'flex', gap: 24 }}>
        {['1,000 credits', '5 seats', '10,000 API calls'].map((label) => (
          <div key={label} style={{ padding: '12px 24px', borderRadius: 12, background: '#e0e7ff', color: '#3730a3', fontSize: 28 }}>
            {label}
          </div>
        ))}
      </div>
    </div>,
    size,
  );
}
