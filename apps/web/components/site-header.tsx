// Site header: product name, theme toggle and the main navigation.
import Link from 'next/link';
import { LogoMark } from './icons';
import { MainNav } from './main-nav';
import { ThemeToggle } from './theme-toggle';

/** The sticky top bar shared by every page. */
export function SiteHeader() {
  return (
    <header className="sticky top-0 z-30 border-b border-border bg-background/85 backdrop-blur supports-[backdrop-filter]:bg-background/70">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6 lg:px-8">
        <Link href="/" className="flex items-center gap-2.5 rounded-md font-semibold tracking-tight text-foreground">
          <LogoMark />
          <span>Hydra Meter Lab</span>
        </Link>
        <ThemeToggle />
      </div>
      <div className="mx-auto max-w-6xl px-2 sm:px-4 lg:px-6">
        <MainNav />
      </div>
    </header>
  );
}
