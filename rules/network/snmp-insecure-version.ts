import { callVisitors, defineRule } from '../../src/rules-api/index.js';
import { isPysnmpClass } from '../_shared/pysnmp.js';

/** `CommunityData(communityIndex, communityName=None, mpModel=1, ...)`. */
const MP_MODEL_POSITION = 2;

export default defineRule({
  meta: {
    id: 'PGT011',
    slug: 'snmp-insecure-version',
    title: 'SNMPv1/v2c community authentication',
    category: 'network',
    severity: 'medium',
    confidence: 'high',
    cwe: [319],
    owasp: [
      'A02:2021 Cryptographic Failures',
      'A07:2021 Identification and Authentication Failures',
    ],
    description:
      'Flags pysnmp `CommunityData(...)`, which speaks SNMPv1 (`mpModel=0`) or SNMPv2c (`mpModel=1`, the default).',
    why: 'SNMPv1 and v2c authenticate with a community string sent in cleartext in every packet and encrypt nothing. Anyone who can see the traffic learns the community string and can then read, and often change, the device configuration.',
    fix: 'Use SNMPv3 with authentication and privacy: `UsmUserData(user, authKey, privKey, authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)`.',
    example: {
      bad: 'from pysnmp.hlapi import CommunityData\n\nauth = CommunityData("public", mpModel=0)\n',
      good: 'from pysnmp.hlapi import UsmUserData, usmAesCfb128Protocol, usmHMACSHAAuthProtocol\n\nauth = UsmUserData(\n    "monitor",\n    auth_key,\n    priv_key,\n    authProtocol=usmHMACSHAAuthProtocol,\n    privProtocol=usmAesCfb128Protocol,\n)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/319.html',
      'https://docs.lextudio.com/pysnmp/v7.1/docs/api-reference#security-parameters',
      'https://www.rfc-editor.org/rfc/rfc3414',
    ],
    bandit: ['B508'],
    ruff: ['S508'],
  },
  messages: {
    communityAuth:
      '`{{callee}}` authenticates with a cleartext community string ({{version}}) and encrypts nothing; use SNMPv3 `UsmUserData` with an auth and a privacy key.',
  },
  select: { calls: ['pysnmp.*'], text: ['CommunityData'] },
  create(context) {
    const { model } = context;
    if (!context.text.includes('CommunityData')) return {};
    return callVisitors(context, (node, call) => {
      if (!isPysnmpClass(call.qualifiedName, 'CommunityData')) return;
      const mpModel = model.argument(call, 'mpModel', MP_MODEL_POSITION);
      const value = mpModel === undefined ? 1 : model.literalValue(mpModel);
      const version = value === 0 ? 'SNMPv1' : value === 1 ? 'SNMPv2c' : 'SNMPv1/v2c';
      context.report({
        node,
        messageId: 'communityAuth',
        data: { callee: context.textOf(call.callee), version },
        severity: value === 0 ? 'high' : 'medium',
      });
    });
  },
});
