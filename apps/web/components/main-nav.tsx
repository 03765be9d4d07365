'use client';
// Main navigation, rendered from config/navigation.ts; marks the current page with aria-current.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { enabledNavigation, isCurrent } from '@/config/navigation';
import { cn } from '@/lib/class-names';

/** The header's navigation landmark: one link per enabled entry, scrollable on narrow screens. */
export function MainNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="-mb-px overflow-x-auto">
      <ul className="flex min-w-max items-center gap-1">
        {enabledNavigation.map((item) => {
          const current = isCurrent(item, pathname);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                title={item.description}
                aria-current={current ? 'page' : undefined}
                className={cn(
                  'relative inline-flex h-11 items-center rounded-sm px-3 text-sm font-medium transition-colors',
                  'after:absolute after:inset-x-3 after:bottom-0 after:h-0.5 after:rounded-full',
                  current
                    ? 'text-foreground after:bg-accent'
                    : 'text-muted-foreground hover:text-foreground after:bg-transparent',
                )}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
