/**
 * The background never relies on a DOM. Firefox runs it in a background page, which has one
 * (`document`, `DOMParser`…); Chrome runs it in a service worker, which has none. The Firefox
 * smoke test beside this file would pass with code that breaks in Chrome, so this reads the
 * production Chrome worker bundle (`.output/chrome-mv3/background.js`, from `npm run build`)
 * and finds every DOM global it uses. A use guarded by `typeof` (libraries probing their
 * environment, e.g. Dexie's `typeof window < 'u' ? window : …`) is allowed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';

const BUNDLE = process.env.DISPATCH_CHROME_BACKGROUND ?? '.output/chrome-mv3/background.js';

/** Globals of a document or window that a service worker lacks. */
const DOM_GLOBALS = new Set([
  'window',
  'document',
  'DOMParser',
  'XMLSerializer',
  'Node',
  'Element',
  'HTMLElement',
  'Image',
  'localStorage',
  'sessionStorage',
  'XMLHttpRequest',
  'getComputedStyle',
  'requestAnimationFrame',
  'alert',
  'confirm',
  'prompt',
]);

interface AstNode {
  type: string;
  start: number;
  [key: string]: unknown;
}

const isNode = (value: unknown): value is AstNode =>
  typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';

/** Whether `node` is a `typeof <name>` somewhere inside `tree`. */
function hasTypeofOf(tree: unknown, name: string): boolean {
  if (Array.isArray(tree)) return tree.some((item) => hasTypeofOf(item, name));
  if (!isNode(tree)) return false;
  if (tree.type === 'UnaryExpression' && tree.operator === 'typeof') {
    const argument = tree.argument;
    if (isNode(argument) && argument.type === 'Identifier' && argument.name === name) return true;
  }
  return Object.values(tree).some((value) => hasTypeofOf(value, name));
}

/** The test part of a conditional ancestor, which guards the branches below it. */
function guardOf(ancestor: AstNode, child: AstNode): unknown {
  if (ancestor.type === 'ConditionalExpression' || ancestor.type === 'IfStatement') {
    return child === ancestor.test ? undefined : ancestor.test;
  }
  if (ancestor.type === 'LogicalExpression') {
    return child === ancestor.right ? ancestor.left : undefined;
  }
  return undefined;
}

/** Whether the identifier `node` (child of `parent`) names a property, not a variable. */
function isPropertyName(node: AstNode, parent: AstNode | undefined): boolean {
  if (!parent) return false;
  if (parent.type === 'MemberExpression') return parent.property === node && !parent.computed;
  if (
    parent.type === 'Property' ||
    parent.type === 'MethodDefinition' ||
    parent.type === 'PropertyDefinition'
  ) {
    return parent.key === node && !parent.computed && !parent.shorthand;
  }
  return false;
}

/** Names the bundle declares itself (then they are not the DOM's). */
function declaredNames(tree: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(tree)) {
    for (const item of tree) declaredNames(item, names);
    return names;
  }
  if (!isNode(tree)) return names;
  const binding =
    tree.type === 'VariableDeclarator'
      ? tree.id
      : tree.type === 'FunctionDeclaration' || tree.type === 'ClassDeclaration'
        ? tree.id
        : undefined;
  if (isNode(binding) && binding.type === 'Identifier') names.add(String(binding.name));
  if (Array.isArray(tree.params)) {
    for (const param of tree.params) {
      if (isNode(param) && param.type === 'Identifier') names.add(String(param.name));
    }
  }
  for (const value of Object.values(tree)) declaredNames(value, names);
  return names;
}

/** Each unguarded use of a DOM global in `source`: its name and a little code around it. */
function domUses(source: string): string[] {
  const ast = parseAst(source) as unknown as AstNode;
  const declared = declaredNames(ast);
  const uses: string[] = [];
  const visit = (node: AstNode, ancestors: AstNode[]): void => {
    const parent = ancestors.at(-1);
    if (node.type === 'Identifier') {
      const name = String(node.name);
      if (DOM_GLOBALS.has(name) && !declared.has(name) && !isPropertyName(node, parent)) {
        const isTypeof = parent?.type === 'UnaryExpression' && parent.operator === 'typeof';
        const guarded = ancestors.some((ancestor, index) =>
          hasTypeofOf(guardOf(ancestor, ancestors[index + 1] ?? node), name),
        );
        if (!isTypeof && !guarded) {
          uses.push(`${name}: …${source.slice(Math.max(0, node.start - 40), node.start + 40)}…`);
        }
      }
    }
    for (const value of Object.values(node)) {
      const children = Array.isArray(value) ? value : [value];
      for (const child of children) if (isNode(child)) visit(child, [...ancestors, node]);
    }
  };
  visit(ast, []);
  return uses;
}

describe('the Chrome service worker bundle', () => {
  it('finds an unguarded DOM global, and allows one guarded by typeof (self-check)', () => {
    expect(domUses('new DOMParser().parseFromString(a, b); x.document; ({ window: 1 });')).toEqual([
      expect.stringMatching(/^DOMParser: /),
    ]);
    expect(domUses('var g = typeof window < "u" ? window : self; var d = e.document;')).toEqual([]);
  });

  it('uses no DOM global (document, window, DOMParser…)', () => {
    if (!existsSync(BUNDLE)) {
      throw new Error(`No ${BUNDLE}: build the production extension first (npm run build).`);
    }
    expect(domUses(readFileSync(BUNDLE, 'utf8'))).toEqual([]);
  });
});
