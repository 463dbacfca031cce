/**
 * How the secret rules judge a string literal found next to a password-like name: values in a
 * provider's token format are left to `hardcoded-provider-key` (which names the provider), the
 * rest are judged by their shape (`judgeSecretShape`), so the rules agree on what is a label, a
 * placeholder or a template rather than a credential.
 */
import {
  judgeSecretShape,
  type NotASecretShape,
  type SecretStrength,
} from '../../src/rules-api/index.js';
import { awsCredentialName, isAwsCredentialValue, providerTokenIn } from './provider-tokens.js';

export type SecretValueVerdict =
  | { secret: true; strength: SecretStrength }
  | { secret: false; reason: NotASecretShape | 'provider' };

/**
 * Judges a literal assigned to, compared with or passed as a password-like `name`. Values read
 * from the environment never reach this function: only literals are judged.
 */
export function judgeSecretValue(value: string, name?: string): SecretValueVerdict {
  const verdict = judgeSecretShape(value, name);
  if (!verdict.secret && verdict.reason === 'empty') return verdict;
  // Provider-shaped values are reported, with the provider's name, by hardcoded-provider-key.
  const credential = name === undefined ? undefined : awsCredentialName(name);
  const providerFormat =
    providerTokenIn(value) !== undefined ||
    (credential !== undefined && isAwsCredentialValue(credential, value));
  return providerFormat ? { secret: false, reason: 'provider' } : verdict;
}
