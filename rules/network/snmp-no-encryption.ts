import { callVisitors, defineRule, type SyntaxNode } from '../../src/rules-api/index.js';
import { isPysnmpClass } from '../_shared/pysnmp.js';

/** `UsmUserData(userName, authKey=None, privKey=None, authProtocol=..., privProtocol=...)`. */
const AUTH_KEY_POSITION = 1;
const PRIV_KEY_POSITION = 2;
const AUTH_PROTOCOL_POSITION = 3;
const PRIV_PROTOCOL_POSITION = 4;

export default defineRule({
  meta: {
    id: 'PGT012',
    slug: 'snmp-no-encryption',
    title: 'SNMPv3 without authentication or privacy',
    category: 'network',
    severity: 'medium',
    confidence: 'high',
    cwe: [319],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags pysnmp `UsmUserData(...)` created without a privacy key (authNoPriv) or without any key (noAuthNoPriv), or with `usmNoAuthProtocol`/`usmNoPrivProtocol`.',
    why: 'SNMPv3 only protects traffic when both keys are set: without a privacy key every request and response, including configuration values and any secrets in them, travels in cleartext; without an authentication key anyone can send requests as that user.',
    fix: 'Pass both an authentication and a privacy key with strong protocols: `UsmUserData(user, auth_key, priv_key, authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)` (authPriv).',
    example: {
      bad: 'from pysnmp.hlapi import UsmUserData\n\nauth = UsmUserData("monitor", auth_key)\n',
      good: 'from pysnmp.hlapi import UsmUserData, usmAesCfb128Protocol, usmHMACSHAAuthProtocol\n\nauth = UsmUserData(\n    "monitor",\n    auth_key,\n    priv_key,\n    authProtocol=usmHMACSHAAuthProtocol,\n    privProtocol=usmAesCfb128Protocol,\n)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/319.html',
      'https://docs.lextudio.com/pysnmp/v7.1/docs/api-reference#security-parameters',
      'https://www.rfc-editor.org/rfc/rfc3414',
    ],
    bandit: ['B509'],
    ruff: ['S509'],
  },
  messages: {
    noAuthNoPriv:
      '`{{callee}}` sets up SNMPv3 without authentication or privacy (noAuthNoPriv): requests are unauthenticated and unencrypted; pass an auth key and a privacy key.',
    authNoPriv:
      '`{{callee}}` sets up SNMPv3 without privacy (authNoPriv), so SNMP traffic is not encrypted; pass a privacy key with `privProtocol=usmAesCfb128Protocol`.',
  },
  select: { calls: ['pysnmp.*'], text: ['UsmUserData'] },
  create(context) {
    const { model } = context;
    if (!context.text.includes('UsmUserData')) return {};

    const isNone = (node: SyntaxNode | undefined): boolean =>
      node === undefined || model.literalValue(node) === null;
    const names = (node: SyntaxNode | undefined, protocol: string): boolean =>
      node !== undefined && (model.qualifiedName(node)?.endsWith(`.${protocol}`) ?? false);

    return callVisitors(context, (node, call) => {
      if (!isPysnmpClass(call.qualifiedName, 'UsmUserData')) return;
      if (call.hasKwargs || call.hasStarArgs) return;
      const noAuth =
        isNone(model.argument(call, 'authKey', AUTH_KEY_POSITION)) ||
        names(model.argument(call, 'authProtocol', AUTH_PROTOCOL_POSITION), 'usmNoAuthProtocol');
      const noPriv =
        isNone(model.argument(call, 'privKey', PRIV_KEY_POSITION)) ||
        names(model.argument(call, 'privProtocol', PRIV_PROTOCOL_POSITION), 'usmNoPrivProtocol');
      if (!noPriv) return;
      const data = { callee: context.textOf(call.callee) };
      if (noAuth) context.report({ node, messageId: 'noAuthNoPriv', data, severity: 'high' });
      else context.report({ node, messageId: 'authNoPriv', data });
    });
  },
});
