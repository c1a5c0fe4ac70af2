/**
 * The Block Kit limits that Slack enforces and that a bot like ours hits in practice
 * (reference §5). Messages are Slack's own style: `[ERROR] … [json-pointer:/blocks/3/text/text]`.
 * Deliberately not a full schema: unknown block types and fields pass, as long as they stay in limits.
 */

const LIMITS = {
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  actionsElements: 25,
  contextElements: 10,
  optionText: 75,
  // The @slack/types JSDoc says 75, some doc revisions 150; reject only what Slack surely rejects.
  optionValue: 150,
  selectOptions: 100,
  placeholder: 150,
  inputLabel: 2000,
  modalTitle: 24,
  privateMetadata: 3000,
} as const;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  readonly errors: string[] = [];

  fail(message: string, pointer: string): void {
    this.errors.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  }

  maxLength(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && value.length > max)
      this.fail(`must be less than ${max + 1} characters`, pointer);
  }

  /** A text object: `{type: plain_text|mrkdwn, text}` with 1..max characters. */
  text(value: unknown, max: number, pointer: string, plainOnly = false): void {
    if (!isObj(value)) {
      this.fail('must provide an object', pointer);
      return;
    }
    const type = value.type;
    if (type !== 'plain_text' && (plainOnly || type !== 'mrkdwn')) {
      this.fail(
        `must be a valid enum value (${plainOnly ? 'plain_text' : 'plain_text, mrkdwn'})`,
        `${pointer}/type`,
      );
    }
    if (typeof value.text !== 'string' || value.text.length === 0) {
      this.fail('must be more than 0 characters', `${pointer}/text`);
      return;
    }
    this.maxLength(value.text, max, `${pointer}/text`);
  }

  option(value: unknown, pointer: string): void {
    if (!isObj(value)) {
      this.fail('must provide an object', pointer);
      return;
    }
    this.text(value.text, LIMITS.optionText, `${pointer}/text`);
    this.maxLength(value.value, LIMITS.optionValue, `${pointer}/value`);
    if (value.description !== undefined)
      this.text(value.description, LIMITS.optionText, `${pointer}/description`);
  }

  element(value: unknown, pointer: string, actionIds: Set<string>): void {
    if (!isObj(value)) {
      this.fail('must provide an object', pointer);
      return;
    }
    if (typeof value.action_id === 'string') {
      this.maxLength(value.action_id, LIMITS.id, `${pointer}/action_id`);
      if (actionIds.has(value.action_id))
        this.fail('action_id must be unique within a block', `${pointer}/action_id`);
      actionIds.add(value.action_id);
    }
    if (value.placeholder !== undefined)
      this.text(value.placeholder, LIMITS.placeholder, `${pointer}/placeholder`);
    if (value.type === 'button') {
      this.text(value.text, LIMITS.buttonText, `${pointer}/text`, true);
      this.maxLength(value.value, LIMITS.buttonValue, `${pointer}/value`);
      this.maxLength(value.url, LIMITS.url, `${pointer}/url`);
    }
    if (Array.isArray(value.options)) {
      if (value.options.length > LIMITS.selectOptions) {
        this.fail(`no more than ${LIMITS.selectOptions} items allowed`, `${pointer}/options`);
      }
      for (const [i, o] of value.options.entries()) this.option(o, `${pointer}/options/${i}`);
    }
    if (Array.isArray(value.initial_options)) {
      for (const [i, o] of value.initial_options.entries()) this.option(o, `${pointer}/initial_options/${i}`);
    }
    if (value.initial_option !== undefined) this.option(value.initial_option, `${pointer}/initial_option`);
  }

  block(block: unknown, pointer: string, blockIds: Set<string>): void {
    if (!isObj(block) || typeof block.type !== 'string') {
      this.fail('must provide a block type', pointer);
      return;
    }
    if (typeof block.block_id === 'string') {
      this.maxLength(block.block_id, LIMITS.id, `${pointer}/block_id`);
      if (blockIds.has(block.block_id)) this.fail('block_id must be unique', `${pointer}/block_id`);
      blockIds.add(block.block_id);
    }
    const actionIds = new Set<string>();
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) {
          this.fail('must provide text or fields', pointer);
        }
        if (block.text !== undefined) this.text(block.text, LIMITS.sectionText, `${pointer}/text`);
        if (Array.isArray(block.fields)) {
          if (block.fields.length > LIMITS.sectionFields) {
            this.fail(`no more than ${LIMITS.sectionFields} items allowed`, `${pointer}/fields`);
          }
          for (const [i, f] of block.fields.entries())
            this.text(f, LIMITS.sectionField, `${pointer}/fields/${i}`);
        }
        if (block.accessory !== undefined) this.element(block.accessory, `${pointer}/accessory`, actionIds);
        break;
      case 'header':
        this.text(block.text, LIMITS.headerText, `${pointer}/text`, true);
        break;
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) this.fail('must provide at least 1 item', `${pointer}/elements`);
        if (elements.length > LIMITS.actionsElements) {
          this.fail(`no more than ${LIMITS.actionsElements} items allowed`, `${pointer}/elements`);
        }
        for (const [i, e] of elements.entries()) this.element(e, `${pointer}/elements/${i}`, actionIds);
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) this.fail('must provide at least 1 item', `${pointer}/elements`);
        if (elements.length > LIMITS.contextElements) {
          this.fail(`no more than ${LIMITS.contextElements} items allowed`, `${pointer}/elements`);
        }
        break;
      }
      case 'input':
        this.text(block.label, LIMITS.inputLabel, `${pointer}/label`, true);
        if (block.hint !== undefined) this.text(block.hint, LIMITS.inputLabel, `${pointer}/hint`, true);
        this.element(block.element, `${pointer}/element`, actionIds);
        break;
      default:
        break;
    }
  }

  blocks(blocks: unknown, max: number, pointer: string): void {
    if (!Array.isArray(blocks)) {
      this.fail('must provide an array', pointer);
      return;
    }
    if (blocks.length > max) this.fail(`no more than ${max} items allowed`, pointer);
    const blockIds = new Set<string>();
    for (const [i, b] of blocks.entries()) this.block(b, `${pointer}/${i}`, blockIds);
  }
}

export type ValidationResult = { ok: true } | { ok: false; error: string; messages: string[] };

/** `blocks` of chat.postMessage / chat.update / chat.postEphemeral / response_url bodies. */
export function validateMessageBlocks(blocks: unknown): ValidationResult {
  if (blocks === undefined) return { ok: true };
  if (typeof blocks === 'string') return { ok: false, error: 'invalid_blocks_format', messages: [] };
  const checker = new Checker();
  checker.blocks(blocks, 50, '/blocks');
  return checker.errors.length === 0
    ? { ok: true }
    : { ok: false, error: 'invalid_blocks', messages: checker.errors };
}

/**
 * A modal or Home tab of views.open / push / update / publish. Slack answers `invalid_arguments`
 * for views (not `invalid_blocks`), with the same kind of messages.
 */
export function validateView(view: unknown): ValidationResult {
  const checker = new Checker();
  if (!isObj(view)) {
    checker.fail('must provide an object', '/view');
    return { ok: false, error: 'invalid_arguments', messages: checker.errors };
  }
  if (view.type !== 'modal' && view.type !== 'home') {
    checker.fail('must be a valid enum value (modal, home)', '/view/type');
  }
  if (view.type === 'modal') {
    checker.text(view.title, LIMITS.modalTitle, '/view/title', true);
    if (view.submit !== undefined) checker.text(view.submit, LIMITS.modalTitle, '/view/submit', true);
    if (view.close !== undefined) checker.text(view.close, LIMITS.modalTitle, '/view/close', true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined)
      checker.fail('submit is required when using input blocks', '/view');
  }
  checker.maxLength(view.private_metadata, LIMITS.privateMetadata, '/view/private_metadata');
  checker.maxLength(view.callback_id, LIMITS.id, '/view/callback_id');
  checker.blocks(view.blocks, 100, '/view/blocks');
  return checker.errors.length === 0
    ? { ok: true }
    : { ok: false, error: 'invalid_arguments', messages: checker.errors };
}
