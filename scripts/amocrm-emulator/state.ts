import { IdSequences } from './ids.ts';
import { DEFAULT_PIPELINES, DEFAULT_STATUSES, DEFAULT_TASK_TYPES, DEFAULT_USERS, LOST_STATUS_ID, WON_STATUS_ID } from './defaults.ts';
import type {
  AccountInput,
  EmuAccount,
  EmuField,
  EmuLead,
  EmuNote,
  EmuPipeline,
  EmuStatus,
  EmuTask,
  FieldInput,
  LeadInput,
  PipelineInput,
} from './types.ts';

/** Everything one account holds. Only the emulator mutates it; callers get copies. */
export interface AccountState {
  account: EmuAccount;
  fields: EmuField[];
  leads: Map<number, EmuLead>;
  notes: EmuNote[];
  tasks: EmuTask[];
}

export const ENUM_FIELD_TYPES = new Set(['select', 'multiselect', 'radiobutton', 'category']);

/** In-memory accounts and their entities; no HTTP here, so routes and the programmatic API share it. */
export class EmulatorState {
  readonly ids = new IdSequences();
  private readonly accounts = new Map<number, AccountState>();

  constructor(private readonly now: () => number) {}

  nowSec(): number {
    return Math.floor(this.now() / 1000);
  }

  get(accountId: number): AccountState | undefined {
    return this.accounts.get(accountId);
  }

  /** For the programmatic API: a typo in a test's account id should fail loudly, not silently. */
  require(accountId: number): AccountState {
    const acc = this.accounts.get(accountId);
    if (!acc) throw new Error(`amocrm-emulator: no account ${accountId}`);
    return acc;
  }

  all(): AccountState[] {
    return [...this.accounts.values()];
  }

  addAccount(input: AccountInput = {}): AccountState {
    if (input.id !== undefined && this.accounts.has(input.id)) {
      throw new Error(`amocrm-emulator: account ${input.id} already exists`);
    }
    const id = input.id !== undefined ? this.ids.claim('account', input.id) : this.ids.take('account');
    const subdomain = input.subdomain ?? `dramlink-test-${id}`;
    if (this.all().some((a) => a.account.subdomain === subdomain)) {
      throw new Error(`amocrm-emulator: subdomain ${subdomain} already taken`);
    }
    const domain = input.domain ?? 'amocrm.ru';
    const users = (input.users ?? DEFAULT_USERS).map((u) => {
      const userId = u.id !== undefined ? this.ids.claim('user', u.id) : this.ids.take('user');
      return {
        id: userId,
        name: u.name,
        email: u.email ?? `${u.name.toLowerCase().replace(/\W+/g, '.')}@${subdomain}.example`,
        is_admin: u.is_admin ?? false,
        lang: u.lang ?? input.language ?? 'en',
      };
    });
    if (!users.some((u) => u.is_admin)) throw new Error('amocrm-emulator: an account needs an admin user');
    const pipelineInputs = input.pipelines ?? DEFAULT_PIPELINES;
    const hasMain = pipelineInputs.some((p) => p.is_main);
    const pipelines = pipelineInputs.map((p, i) => this.buildPipeline(p, i, !hasMain && i === 0));
    const state: AccountState = {
      account: {
        id,
        name: input.name ?? `Test account ${id}`,
        subdomain,
        domain,
        referer: `${subdomain}.${domain}`,
        country: input.country ?? 'AM',
        currency: input.currency ?? 'AMD',
        created_at: this.nowSec(),
        users,
        pipelines,
        task_types: DEFAULT_TASK_TYPES.map((t) => ({ ...t })),
      },
      fields: [],
      leads: new Map(),
      notes: [],
      tasks: [],
    };
    this.accounts.set(id, state);
    return state;
  }

  private buildPipeline(p: PipelineInput, index: number, forceMain: boolean): EmuPipeline {
    const id = p.id !== undefined ? this.ids.claim('pipeline', p.id) : this.ids.take('pipeline');
    const statuses: EmuStatus[] = (p.statuses ?? DEFAULT_STATUSES).map((s, i) => ({
      id: s.id !== undefined ? this.ids.claim('status', s.id) : this.ids.take('status'),
      name: s.name,
      sort: s.sort ?? (i + 1) * 10,
      type: s.type ?? 0,
      pipeline_id: id,
      color: '#99ccff',
      is_editable: true,
    }));
    statuses.push(
      { id: WON_STATUS_ID, name: 'Успешно реализовано', sort: 10000, type: 0, pipeline_id: id, color: '#CCFF66', is_editable: false },
      { id: LOST_STATUS_ID, name: 'Закрыто и не реализовано', sort: 11000, type: 0, pipeline_id: id, color: '#D5D8DB', is_editable: false },
    );
    return {
      id,
      name: p.name,
      sort: (index + 1) * 1,
      is_main: p.is_main ?? forceMain,
      is_unsorted_on: statuses.some((s) => s.type === 1),
      is_archive: false,
      statuses,
    };
  }

  mainPipeline(acc: AccountState): EmuPipeline {
    return acc.account.pipelines.find((p) => p.is_main) ?? acc.account.pipelines[0];
  }

  pipeline(acc: AccountState, pipelineId: number): EmuPipeline | undefined {
    return acc.account.pipelines.find((p) => p.id === pipelineId);
  }

  /** Where a lead lands when only the pipeline is named: its first regular stage, as amoCRM does. */
  firstStatus(pipeline: EmuPipeline): EmuStatus {
    return pipeline.statuses.find((s) => s.type === 0) ?? pipeline.statuses[0];
  }

  adminUser(acc: AccountState): number {
    return acc.account.users.find((u) => u.is_admin)!.id;
  }

  addLead(acc: AccountState, input: LeadInput = {}, byUserId?: number): EmuLead {
    if (input.id !== undefined && acc.leads.has(input.id)) {
      throw new Error(`amocrm-emulator: lead ${input.id} already exists in account ${acc.account.id}`);
    }
    const pipeline = input.pipelineId !== undefined ? this.pipeline(acc, input.pipelineId) : this.mainPipeline(acc);
    if (!pipeline) throw new Error(`amocrm-emulator: no pipeline ${input.pipelineId} in account ${acc.account.id}`);
    const status = input.statusId !== undefined ? pipeline.statuses.find((s) => s.id === input.statusId) : this.firstStatus(pipeline);
    if (!status) throw new Error(`amocrm-emulator: no status ${input.statusId} in pipeline ${pipeline.id}`);
    const id = input.id !== undefined ? this.ids.claim('lead', input.id) : this.ids.take('lead');
    const user = byUserId ?? input.responsibleUserId ?? this.adminUser(acc);
    const t = this.nowSec();
    const lead: EmuLead = {
      id,
      name: input.name ?? `Сделка #${id}`,
      price: input.price ?? 0,
      responsible_user_id: input.responsibleUserId ?? user,
      group_id: 0,
      status_id: status.id,
      pipeline_id: pipeline.id,
      loss_reason_id: null,
      created_by: user,
      updated_by: user,
      created_at: t,
      updated_at: t,
      closed_at: null,
      closest_task_at: null,
      is_deleted: false,
      custom_fields_values: null,
      score: null,
      account_id: acc.account.id,
      labor_cost: null,
      _embedded: { tags: [], companies: [] },
    };
    acc.leads.set(id, lead);
    return lead;
  }

  findField(acc: AccountState, ref: { id?: unknown; code?: unknown }): EmuField | undefined {
    if (ref.id !== undefined) return acc.fields.find((f) => f.id === ref.id);
    if (ref.code !== undefined) return acc.fields.find((f) => f.code !== null && f.code === ref.code);
    return undefined;
  }

  /** Assumes validated input (see field-input.ts). */
  addField(acc: AccountState, input: FieldInput): EmuField {
    const isEnum = ENUM_FIELD_TYPES.has(input.type);
    const field: EmuField = {
      id: this.ids.take('field'),
      name: input.name,
      type: input.type,
      account_id: acc.account.id,
      code: input.code ?? null,
      sort: input.sort ?? 500 + acc.fields.length,
      is_api_only: input.is_api_only ?? false,
      enums: isEnum
        ? (input.enums ?? []).map((e, i) => ({
            id: this.ids.take('enum'),
            value: e.value,
            sort: e.sort ?? (i + 1) * 10,
            code: e.code ?? null,
          }))
        : null,
      group_id: null,
      required_statuses: [],
      is_deletable: true,
      is_predefined: false,
      entity_type: 'leads',
    };
    acc.fields.push(field);
    return field;
  }

  /**
   * `PATCH /api/v4/leads/custom_fields` for one field: a new name, and for a select the whole option
   * list (an option left out is deleted, one without id is added). Lead values follow their option's
   * new label, as amoCRM shows them by option.
   */
  updateField(
    acc: AccountState,
    field: EmuField,
    input: { name?: string; enums?: Array<{ id?: number; value: string; sort: number; code?: string | null }> },
  ): EmuField {
    if (input.name !== undefined) field.name = input.name;
    if (input.enums && field.enums) {
      field.enums = input.enums.map((e) => ({
        id: e.id ?? this.ids.take('enum'),
        value: e.value,
        sort: e.sort,
        code: e.code ?? field.enums!.find((old) => old.id === e.id)?.code ?? null,
      }));
      for (const lead of acc.leads.values()) {
        for (const cfv of lead.custom_fields_values ?? []) {
          if (cfv.field_id !== field.id) continue;
          for (const v of cfv.values as Array<{ value?: unknown; enum_id?: number; enum_code?: string | null }>) {
            const option = field.enums.find((e) => e.id === v.enum_id);
            if (option) Object.assign(v, { value: option.value, enum_code: option.code });
          }
        }
      }
    }
    return field;
  }

  addNote(
    acc: AccountState,
    input: { entity_id: number; note_type: string; params: Record<string, unknown>; userId: number; responsibleUserId?: number },
  ): EmuNote {
    const t = this.nowSec();
    const note: EmuNote = {
      id: this.ids.take('note'),
      entity_id: input.entity_id,
      created_by: input.userId,
      updated_by: input.userId,
      created_at: t,
      updated_at: t,
      responsible_user_id: input.responsibleUserId ?? input.userId,
      group_id: 0,
      note_type: input.note_type,
      params: structuredClone(input.params),
      account_id: acc.account.id,
    };
    acc.notes.push(note);
    return note;
  }

  addTask(
    acc: AccountState,
    input: Pick<EmuTask, 'text' | 'complete_till' | 'entity_id' | 'entity_type' | 'task_type_id' | 'responsible_user_id'> & {
      userId: number;
      duration?: number;
    },
  ): EmuTask {
    const t = this.nowSec();
    const task: EmuTask = {
      id: this.ids.take('task'),
      created_by: input.userId,
      updated_by: input.userId,
      created_at: t,
      updated_at: t,
      responsible_user_id: input.responsible_user_id,
      group_id: 0,
      entity_id: input.entity_id,
      entity_type: input.entity_type,
      duration: input.duration ?? 0,
      is_completed: false,
      task_type_id: input.task_type_id,
      text: input.text,
      result: [],
      complete_till: input.complete_till,
      account_id: acc.account.id,
    };
    acc.tasks.push(task);
    if (task.entity_type === 'leads' && task.entity_id !== null) {
      const lead = acc.leads.get(task.entity_id);
      if (lead && (lead.closest_task_at === null || task.complete_till < lead.closest_task_at)) {
        lead.closest_task_at = task.complete_till;
      }
    }
    return task;
  }
}
