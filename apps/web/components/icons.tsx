// Small inline icons (24×24 grid, stroke = currentColor). Decorative: each is aria-hidden, so the
// control or text next to it carries the meaning.
import type { ReactNode, SVGProps } from 'react';

type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'>;

function Icon({ children, ...props }: IconProps & { children: ReactNode }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width={16}
      height={16}
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

/** Sun: shown while the light theme is active. */
export function SunIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="12" cy="12" r="4" />
      <path d="M12 2v2M12 20v2M4.93 4.93l1.41 1.41M17.66 17.66l1.41 1.41M2 12h2M20 12h2M4.93 19.07l1.41-1.41M17.66 6.34l1.41-1.41" />
    </Icon>
  );
}

/** Moon: shown while the dark theme is active. */
export function MoonIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M20.5 14.5A8.5 8.5 0 0 1 9.5 3.5a8.5 8.5 0 1 0 11 11Z" />
    </Icon>
  );
}

/** Warning triangle for error states. */
export function AlertIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z" />
      <path d="M12 9v4M12 17h.01" />
    </Icon>
  );
}

/** Empty tray for empty states. */
export function InboxIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M22 12h-6l-2 3h-4l-2-3H2" />
      <path d="M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11Z" />
    </Icon>
  );
}

/** Padlock: a sealed channel. */
export function LockIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="4" y="11" width="16" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </Icon>
  );
}

/**
 * Product mark: a secure element (rounded square) with three sealed channels leaving it —
 * one architecture, many heads.
 */
export function LogoMark(props: IconProps) {
  return (
    <svg viewBox="0 0 32 32" width={28} height={28} aria-hidden="true" focusable="false" {...props}>
      <rect x="1" y="1" width="30" height="30" rx="8" fill="var(--accent)" />
      <rect x="7" y="11" width="10" height="10" rx="2.5" fill="none" stroke="var(--accent-foreground)" strokeWidth="2" />
      <path d="M17 16h3.5M17 13.5l3.5-3.5M17 18.5l3.5 3.5" stroke="var(--accent-foreground)" strokeWidth="2" strokeLinecap="round" />
      <circle cx="23.5" cy="9" r="2" fill="var(--accent-foreground)" />
      <circle cx="23.5" cy="16" r="2" fill="var(--accent-foreground)" />
      <circle cx="23.5" cy="23" r="2" fill="var(--accent-foreground)" />
    </svg>
  );
}
