'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export type NavItem = { href: string; label: string };

const isCurrent = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);

/** The app's sections: a row on wide screens, a column inside the phone menu. */
export function NavLinks({ items, vertical = false }: { items: NavItem[]; vertical?: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className={vertical ? 'flex flex-col' : 'flex items-center gap-1 text-sm'}>
      {items.map((item) => {
        const current = isCurrent(pathname, item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={current ? 'page' : undefined}
            className={`flex min-h-11 items-center rounded-md px-3 sm:min-h-9 ${vertical ? 'text-base' : ''} ${
              current ? 'font-semibold text-link' : 'text-foreground hover:bg-muted hover:text-link'
            }`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
