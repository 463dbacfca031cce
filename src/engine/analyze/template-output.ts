/**
 * What a template engine object (`jinja2.Environment(...)`, `mako.lookup.TemplateLookup(...)`,
 * `Template(...)`) renders, judged from what the file shows: literal template source (does it
 * contain tags?), literal file names passed to it (`.html` or `.txt`?), and the literal names
 * later given to `get_template()`/`from_string()` on the name it is stored under. HTML output is
 * where escaping matters; text templates (e-mail bodies, config files, code) do not want it.
 */
import { unwrapParens, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export type TemplateOutput = 'html' | 'text' | 'unknown';

const TAG = /<[A-Za-z!/]/;
const HTML_FILE = /\.(?:x?html?|xml|svg)(?:\.[A-Za-z0-9]+)?$/i;
const TEXT_FILE =
  /\.(?:txt|text|ya?ml|json|toml|ini|cfg|conf|sql|sh|py|md|rst|tex|csv|tf|properties|service|env)(?:\.(?:j2|jinja2?|tmpl|tpl|mako))?$/i;
const LOADER_METHODS = 'get_template|select_template|get_or_select_template|from_string';

/** Output evidence of one literal: a template source (`source`) or a template file name. */
function evidence(value: string, kind: 'source' | 'file'): TemplateOutput {
  if (kind === 'source') return TAG.test(value) ? 'html' : 'text';
  if (HTML_FILE.test(value)) return 'html';
  return TEXT_FILE.test(value) ? 'text' : 'unknown';
}

/** What a template file renders, judged from its name (`page.html.j2`, `nginx.conf.j2`). */
export function templateFileOutput(name: string): TemplateOutput {
  return evidence(name, 'file');
}

function combine(outputs: readonly TemplateOutput[]): TemplateOutput {
  if (outputs.includes('html')) return 'html';
  return outputs.includes('text') ? 'text' : 'unknown';
}

/**
 * What a template call renders. `source` and `file` are its template-source and file-name
 * arguments, if it has them; the call's result is followed to the name it is assigned to.
 */
export function templateOutput(
  model: SemanticModel,
  call: SyntaxNode,
  source: SyntaxNode | undefined,
  file: SyntaxNode | undefined,
): TemplateOutput {
  const outputs: TemplateOutput[] = [];
  const sourceText = source === undefined ? undefined : model.staticString(source);
  if (sourceText !== undefined) outputs.push(evidence(sourceText, 'source'));
  const fileName = file === undefined ? undefined : model.staticString(file);
  if (fileName !== undefined) outputs.push(evidence(fileName, 'file'));
  outputs.push(...usesOf(model, call));
  return combine(outputs);
}

/** `env = Environment(...)` … `env.get_template("mail.txt")`: what the stored object loads. */
function usesOf(model: SemanticModel, call: SyntaxNode): TemplateOutput[] {
  let parent = call.parent;
  while (parent?.type === 'parenthesized_expression') parent = parent.parent;
  if (parent?.type !== 'assignment') return [];
  const target = parent.childForFieldName('left');
  if (target === null || !['identifier', 'attribute'].includes(unwrapParens(target).type))
    return [];
  const name = model.textOf(target).replace(/\s+/g, '').replace(/[.]/g, '\\s*\\.\\s*');
  const pattern = new RegExp(
    `(?<![\\w.])${name}\\s*\\.\\s*(${LOADER_METHODS})\\s*\\(\\s*\\[?\\s*[rRuU]?(['"])((?:(?!\\2)[^\\\\\\n])*)\\2`,
    'g',
  );
  const outputs: TemplateOutput[] = [];
  for (const match of model.text.matchAll(pattern)) {
    const value = match[3] ?? '';
    outputs.push(evidence(value, match[1] === 'from_string' ? 'source' : 'file'));
  }
  return outputs;
}
