// @hydra/db — Prisma models, migrations and the database handle for the DCC and the parties
// (DESIGN.md "Packages"; TOOLCHAIN.md "Prisma — the one real obstacle"). `createDb()` picks the
// SQLite or PostgreSQL client from DATABASE_URL.
export { createDb, sqliteBusyTimeoutMs, type Db, type DbClient, type DbTransaction } from './create-db';
export { isUniqueViolation, uniqueViolationFields } from './errors';
export {
  homeIdOf,
  homeRowsFor,
  insertWorld,
  londonMidnight,
  makeWorld,
  meterIdOf,
  placeholderArchetypes,
  type HomeRow,
  type InsertWorldResult,
  type MakeWorldOptions,
  type SharingPreset,
  type WorldData,
  type WorldMode,
  type WorldRow,
} from './factories';
export { providerFor, type Provider } from './provider';
export { databaseUrl, defaultDatabaseUrl } from './env';
export type {
  DccEnrolment,
  DccMessage,
  DccMeter,
  DccParty,
  DccRefusal,
  DccSecurityDomain,
  DnoCampaign,
  DnoCampaignTarget,
  DnoFeederLoad,
  DnoMeter,
  DnoPowerQualityEvent,
  Home,
  Prisma,
  SupplierAccount,
  SupplierBill,
  SupplierKey,
  SupplierReceipt,
  SupplierTariff,
  TelecareAlert,
  TelecareHome,
  World,
} from '../generated/sqlite/client';
