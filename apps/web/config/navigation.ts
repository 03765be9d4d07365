// The app's navigation as data (STYLE.md rule 20). The header renders `enabledNavigation`.
// A page that does not exist yet keeps `enabled: false` so it is never linked; flip the flag in
// the same change that adds the page (the e2e shell spec follows every enabled link).

/** One entry in the main navigation. */
export interface NavItem {
  /** Visible link text. */
  readonly label: string;
  /** App route the entry links to. */
  readonly href: string;
  /** One line saying what the page is for (used as the link's description). */
  readonly description: string;
  /** Only enabled entries are rendered. */
  readonly enabled: boolean;
  /** Also mark the entry current on nested routes (`/worlds/abc` under `/worlds`). */
  readonly matchNested?: boolean;
}

/** Every planned page, in navigation order. */
export const navigation: readonly NavItem[] = [
  { label: 'Dashboard', href: '/', description: 'What the lab is and how the pieces fit', enabled: true },
  { label: 'Worlds', href: '/worlds', description: 'Create, run and compare simulated worlds', enabled: true, matchNested: true },
  { label: 'Homes', href: '/homes', description: 'Each home, its meter, applets and in-home display', enabled: false, matchNested: true },
  { label: 'Relay', href: '/relay', description: 'The DCC: routing, queues and the metadata it sees', enabled: true, matchNested: true },
  { label: 'Supplier', href: '/supplier', description: "The energy supplier's console: bills and tariffs", enabled: true, matchNested: true },
  { label: 'DNO', href: '/dno', description: "The network operator's console: power quality, feeders and load control", enabled: true, matchNested: true },
  { label: 'Telecare', href: '/telecare', description: "The telecare provider's console: enrolled homes and wellbeing alerts", enabled: true, matchNested: true },
  { label: 'Catalog', href: '/catalog', description: 'Every applet: its published source, hash and signature', enabled: true, matchNested: true },
  { label: 'Handshake', href: '/handshake', description: 'The SCP11 set-up stepped through byte by byte', enabled: true, matchNested: true },
  { label: 'Who sees what', href: '/who-sees-what', description: "Parties × data: what is actually in each party's store", enabled: true, matchNested: true },
];

/** The entries the header renders. */
export const enabledNavigation: readonly NavItem[] = navigation.filter((item) => item.enabled);

/** Whether `item` is the current page for `pathname`. */
export function isCurrent(item: NavItem, pathname: string): boolean {
  if (pathname === item.href) return true;
  return item.matchNested === true && item.href !== '/' && pathname.startsWith(`${item.href}/`);
}
