/**
 * Maintenance visits to company sites: services, spare parts, and follow-up visits. Visits
 * happen on working days only (the market's calendar: no weekends, no public holidays);
 * the week's visits are spread over its working days.
 */
import type { CompanyRecord, MaintenanceVisitRecord } from '../domain/entities.js';
import { poisson } from '../random/distributions.js';
import type { Rng } from '../random/rng.js';
import type { DayContext } from './render.js';
import { DAY_MS, HOUR_MS, iso, round2, toCents } from './time.js';

export function simulateVisits(ctx: DayContext, rng: Rng): void {
  const { world, plan } = ctx;
  const { dims, scenario } = world;
  const workingDays = Math.max(1, 7 - world.market.calendar.weekend.length);
  const perDay = (scenario.entityVolumes.maintenanceVisitsPerWeek / workingDays) * world.config.multiplier * scenario.volume.companyFactor;
  const count = world.calendar.isWorkingDay(plan.startMs) ? poisson(rng, perDay) : 0;
  let seq = 0;
  for (let i = 0; i < count; i++) {
    const company = rng.pick(dims.companies);
    const branches = dims.branchesByCompany.get(company.company_id) ?? [];
    const branchId = branches.length && rng.chance(0.6) ? rng.pick(branches).branch_id : null;
    const at = plan.startMs + 9 * HOUR_MS + Math.floor(rng.next() * 8 * HOUR_MS);
    // Visits are drawn whether or not they fall before the as-of cut, so --to never changes earlier ones.
    const v = buildVisit(ctx, rng, { at, type: world.visitTypes.sample(rng), company, branchId, followUpOf: null, seq: ++seq });
    let followAt = at + rng.int(3, 14) * DAY_MS;
    while (!world.calendar.isWorkingDay(followAt)) followAt += DAY_MS;
    const follow = buildVisit(ctx, rng, { at: followAt, type: 'repair', company, branchId, followUpOf: v.record.visit_id, seq: ++seq });
    record(ctx, v);
    if (v.needsFollowUp) record(ctx, follow);
  }
}

interface Visit {
  record: MaintenanceVisitRecord;
  at: number;
  completedAt: number | null;
  /** Decided whatever the as-of cut; the record shows it once the visit is complete. */
  needsFollowUp: boolean;
}

/** Keeps a visit (and audits its completion) if it was scheduled before the as-of cut. */
function record(ctx: DayContext, v: Visit): void {
  if (v.completedAt !== null) {
    ctx.audit(v.completedAt, { type: 'user', userId: v.record.technician_id }, 'maintenance.completed', 'maintenance_visits', v.record.visit_id, {
      company_id: v.record.company_id,
      parts: v.record.spare_parts.length,
    });
  }
  if (ctx.happened(v.at)) ctx.records.maintenance_visits.push(v.record);
}

interface VisitSpec {
  at: number;
  type: string;
  company: CompanyRecord;
  branchId: string | null;
  followUpOf: string | null;
  seq: number;
}

function buildVisit(ctx: DayContext, rng: Rng, spec: VisitSpec): Visit {
  const { world } = ctx;
  const m = world.market.maintenance;
  const technicians = world.dims.usersByRole.support.length ? world.dims.usersByRole.support : world.dims.users;
  const technician = rng.pick(technicians).user_id;
  const cancelled = rng.chance(0.05);
  const completedAt = cancelled ? null : spec.at + HOUR_MS + Math.floor(rng.next() * 3 * HOUR_MS);
  const done = completedAt !== null && ctx.happened(completedAt);
  const services = Array.from(new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(m.services).en)));
  const parts = rng.chance(0.6)
    ? Array.from({ length: rng.int(1, 3) }, () => {
        const part = rng.pick(m.spareParts);
        return { part: part.en, quantity: rng.int(1, 2), unit_cost: round2(rng.range(part.costRange[0], part.costRange[1])) };
      })
    : [];
  const partsCents = parts.reduce((sum, p) => sum + p.quantity * toCents(p.unit_cost), 0);
  const laborCents = toCents(rng.range(m.laborCostRange[0], m.laborCostRange[1]));
  const needsFollowUp = spec.followUpOf === null && !cancelled && rng.chance(0.15);
  const visitId = `VIS-${ctx.ymd}-${String(spec.seq).padStart(4, '0')}`;
  const visit: MaintenanceVisitRecord = {
    visit_id: visitId,
    company_id: spec.company.company_id,
    branch_id: spec.branchId,
    technician_id: technician,
    visit_type: spec.type,
    status: cancelled ? 'cancelled' : done ? 'completed' : 'scheduled',
    scheduled_at: iso(spec.at),
    completed_at: done ? iso(completedAt!) : null,
    services,
    spare_parts: done ? parts : [],
    labor_cost: done ? laborCents / 100 : 0,
    parts_cost: done ? partsCents / 100 : 0,
    total_cost: done ? (laborCents + partsCents) / 100 : 0,
    follow_up_required: done && needsFollowUp,
    follow_up_of: spec.followUpOf,
  };
  return { record: visit, at: spec.at, completedAt, needsFollowUp };
}
