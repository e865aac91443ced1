import type { NextConfig } from 'next';
import { securityHeaders } from './lib/http/security-headers';

const nextConfig: NextConfig = {
  // The benchmarks build into their own directory (bench/server.ts), so a running demo keeps its `.next`.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The container image (Dockerfile) builds the standalone server; `next start` keeps the usual output.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  poweredByHeader: false,
  async headers() {
    return [{ source: '/:path*', headers: Object.entries(securityHeaders).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
