import { defineRule, ownEntry, type SyntaxNode } from '../../src/rules-api/index.js';

/** Unicode bidirectional embedding, override and isolate controls. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/g;

const NAMES: Readonly<Record<string, string>> = {
  '\u202A': 'U+202A LEFT-TO-RIGHT EMBEDDING',
  '\u202B': 'U+202B RIGHT-TO-LEFT EMBEDDING',
  '\u202C': 'U+202C POP DIRECTIONAL FORMATTING',
  '\u202D': 'U+202D LEFT-TO-RIGHT OVERRIDE',
  '\u202E': 'U+202E RIGHT-TO-LEFT OVERRIDE',
  '\u2066': 'U+2066 LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'U+2067 RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'U+2068 FIRST STRONG ISOLATE',
  '\u2069': 'U+2069 POP DIRECTIONAL ISOLATE',
};

/** Hebrew, Arabic, Syriac, Thaana and N'Ko letters: text that legitimately needs direction marks. */
const RIGHT_TO_LEFT_LETTERS = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

export default defineRule({
  meta: {
    id: 'PGM002',
    slug: 'trojan-source-bidi',
    title: 'Bidirectional control character in source (Trojan Source)',
    category: 'misc',
    severity: 'high',
    confidence: 'high',
    cwe: [838],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags Unicode bidirectional embedding, override and isolate characters (U+202A–U+202E, U+2066–U+2069) anywhere in a file: in code, comments or strings.',
    why: 'These invisible characters reorder how text is displayed. In source code they can make a reviewer see a comment where the interpreter sees code, or a string end where it does not (the "Trojan Source" attack, CVE-2021-42574), so a change that looks harmless in review behaves differently when run.',
    fix: 'Remove the characters. If a string really needs direction control (right-to-left UI text), write it as an escape such as `"\\u2067"` so it is visible in review, or keep such text in translation files.',
    example: {
      // The controls are raw characters in the example, as in an attack (written as escapes here).
      bad: '# The line below holds invisible bidirectional controls (U+202E, U+2066, U+2069).\n# Reviewers see a second condition after "user", but it is part of the string:\nif access_level != "user\u202e \u2066and is_trusted(request)\u2069 \u2066":\n    grant_admin()\n',
      good: 'if access_level != "user" and is_trusted(request):\n    grant_admin()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/838.html',
      'https://trojansource.codes/',
      'https://nvd.nist.gov/vuln/detail/CVE-2021-42574',
      'https://www.unicode.org/reports/tr9/',
    ],
    bandit: ['B613'],
    ruff: [],
  },
  messages: {
    bidiControl:
      'Invisible {{character}} in {{place}} can make this line display differently from how Python reads it; remove it or write it as an escape (`{{escape}}`).',
  },
  create(context) {
    const { model } = context;
    return {
      end() {
        const text = context.text;
        BIDI_CONTROL.lastIndex = 0;
        if (!BIDI_CONTROL.test(text)) return;
        BIDI_CONTROL.lastIndex = 0;
        const reportedLines = new Set<number>();
        for (const match of text.matchAll(BIDI_CONTROL)) {
          const character = match[0];
          const node: SyntaxNode = model.tree.rootNode.descendantForIndex(match.index);
          const line = node.startPosition.row;
          if (reportedLines.has(line)) continue;
          reportedLines.add(line);
          const container =
            node.type === 'string_content' || node.type === 'string_start'
              ? (node.parent ?? node)
              : node;
          const place =
            container.type === 'comment'
              ? 'a comment'
              : container.type === 'string'
                ? 'a string'
                : 'code';
          const legitimateText =
            container.type === 'string' && RIGHT_TO_LEFT_LETTERS.test(context.textOf(container));
          context.report({
            node: container,
            messageId: 'bidiControl',
            data: {
              character: ownEntry(NAMES, character) ?? 'bidirectional control',
              place,
              escape: `\\u${(character.codePointAt(0) ?? 0).toString(16).toUpperCase()}`,
            },
            confidence: legitimateText ? 'medium' : 'high',
          });
        }
      },
    };
  },
});
