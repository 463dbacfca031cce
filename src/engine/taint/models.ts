/**
 * What library calls do to untrusted data: conversions that remove it, escapes that make it safe
 * for one kind of sink, and functions whose result still carries it.
 */
import type { SinkKind } from './types.js';
import { ownEntry } from '../own-entry.js';

const ALL_SINKS: readonly SinkKind[] = [
  'sql',
  'command',
  'code',
  'template',
  'xss',
  'redirect',
  'ssrf',
  'path',
  'deserialization',
  'xml',
  'nosql',
  'ldap',
  'xpath',
  'log',
  'header',
  'regex',
  'format',
  'csv',
];

/** Conversions whose result cannot carry an injection (numbers, booleans, identifiers). */
const CONVERSIONS = [
  'int',
  'float',
  'bool',
  'len',
  'hash',
  'id',
  'ord',
  'round',
  'abs',
  'isinstance',
  'issubclass',
  'hasattr',
  'callable',
  'type',
  'uuid.UUID',
  'decimal.Decimal',
  'datetime.date.fromisoformat',
  'datetime.datetime.fromisoformat',
  'datetime.datetime.strptime',
  'ipaddress.ip_address',
  'ipaddress.ip_network',
  'os.path.exists',
  'os.path.isfile',
  'os.path.isdir',
  'hmac.compare_digest',
  'secrets.compare_digest',
];

/** Escapes and encoders, and the sinks they make a value safe for. */
const ESCAPES: Readonly<Record<string, readonly SinkKind[]>> = {
  'shlex.quote': ['command'],
  'pipes.quote': ['command'],
  'shlex.join': ['command'],
  'html.escape': ['xss'],
  'cgi.escape': ['xss'],
  'markupsafe.escape': ['xss'],
  'jinja2.escape': ['xss'],
  'flask.escape': ['xss'],
  'django.utils.html.escape': ['xss'],
  'django.utils.html.conditional_escape': ['xss'],
  'django.utils.html.strip_tags': ['xss'],
  'bleach.clean': ['xss'],
  'nh3.clean': ['xss'],
  'xml.sax.saxutils.escape': ['xss', 'xml'],
  'os.path.basename': ['path'],
  'posixpath.basename': ['path'],
  'ntpath.basename': ['path'],
  'werkzeug.utils.secure_filename': ['path'],
  'werkzeug.secure_filename': ['path'],
  'django.utils.text.get_valid_filename': ['path'],
  'werkzeug.utils.safe_join': ['path'],
  'flask.helpers.safe_join': ['path'],
  'flask.safe_join': ['path'],
  're.escape': ['regex'],
  'ldap.filter.escape_filter_chars': ['ldap'],
  'ldap.dn.escape_dn_chars': ['ldap'],
  'ldap3.utils.conv.escape_filter_chars': ['ldap'],
  'ldap3.utils.dn.escape_rdn': ['ldap'],
  'urllib.parse.quote': ['ssrf', 'redirect', 'header', 'log', 'command', 'path'],
  'urllib.parse.quote_plus': ['ssrf', 'redirect', 'header', 'log', 'command', 'path'],
  'urllib.parse.urlencode': ['ssrf', 'redirect', 'header', 'log'],
  'psycopg2.sql.Identifier': ['sql'],
  'psycopg2.sql.Literal': ['sql'],
  'psycopg.sql.Identifier': ['sql'],
  'psycopg.sql.Literal': ['sql'],
  'json.dumps': ['log', 'header', 'code'],
  // repr() and ascii() escape control characters, so CR/LF cannot start a new log line.
  repr: ['log'],
  ascii: ['log'],
  'base64.b64encode': ['sql', 'command', 'code', 'xss', 'path', 'log', 'header', 'ldap', 'xpath'],
  'base64.urlsafe_b64encode': ['sql', 'command', 'code', 'xss', 'path', 'log', 'header'],
  'binascii.hexlify': ['sql', 'command', 'code', 'xss', 'path', 'log', 'header', 'ldap', 'xpath'],
};

/** Methods of strings that only strip line breaks are log and header sanitisers (see below). */
export const LINE_BREAK = /\\r|\\n|\r|\n/;

/** Library functions whose result carries their arguments' data. */
const PROPAGATORS = new Set([
  'str',
  'repr',
  'ascii',
  'bytes',
  'bytearray',
  'bytes.fromhex',
  'bytearray.fromhex',
  'list',
  'tuple',
  'set',
  'frozenset',
  'dict',
  'sorted',
  'reversed',
  'format',
  'next',
  'iter',
  'min',
  'max',
  'enumerate',
  'zip',
  'map',
  'filter',
  'getattr',
  'os.path.join',
  'os.path.abspath',
  'os.path.normpath',
  'os.path.realpath',
  'os.path.expanduser',
  'os.path.expandvars',
  'os.path.dirname',
  'os.path.splitext',
  'os.path.split',
  'os.fspath',
  'os.fsencode',
  'os.fsdecode',
  'posixpath.join',
  'ntpath.join',
  'pathlib.Path',
  'pathlib.PurePath',
  'pathlib.PosixPath',
  'pathlib.PurePosixPath',
  'urllib.parse.urljoin',
  'urllib.parse.unquote',
  'urllib.parse.unquote_plus',
  'urllib.parse.urlunparse',
  'urllib.parse.urlunsplit',
  'urllib.parse.urlparse',
  'urllib.parse.urlsplit',
  'urllib.parse.parse_qs',
  'urllib.parse.parse_qsl',
  'base64.b64decode',
  'base64.urlsafe_b64decode',
  'base64.b32decode',
  'base64.b16decode',
  'base64.decodebytes',
  'binascii.unhexlify',
  'binascii.a2b_base64',
  'codecs.decode',
  'json.loads',
  'ujson.loads',
  'orjson.loads',
  'textwrap.dedent',
  'textwrap.indent',
  'shlex.split',
  'copy.copy',
  'copy.deepcopy',
  'string.Template',
  'io.StringIO',
  'io.BytesIO',
  'collections.OrderedDict',
  'collections.defaultdict',
  'collections.ChainMap',
  'yarl.URL',
  'furl.furl',
  'typing.cast',
]);

/** String predicates whose truth means the value holds only letters or digits. */
export const CHARACTER_CLASS_PREDICATES: ReadonlySet<string> = new Set([
  'isdigit',
  'isdecimal',
  'isnumeric',
  'isalnum',
  'isalpha',
  'isidentifier',
]);

/** Methods whose result never carries data from the receiver (predicates, counts, I/O). */
const STRING_METHODS_CLEAN = new Set([
  'startswith',
  'endswith',
  ...CHARACTER_CLASS_PREDICATES,
  'islower',
  'isupper',
  'isspace',
  'isascii',
  'istitle',
  'isprintable',
  'count',
  'find',
  'rfind',
  'index',
  'rindex',
  'exists',
  'is_file',
  'is_dir',
  'is_absolute',
  'is_relative_to',
  'getlist_count',
  'has_key',
  '__len__',
  '__contains__',
  'save',
  'close',
  'seek',
  'tell',
  'write',
  'flush',
  'clear',
  'sort',
  'reverse',
  'remove',
  'discard',
  'is_valid',
  'isoformat',
]);

/** Methods that splice their arguments into the result (`"…{}".format(x)`, `",".join(xs)`). */
const COMBINING_METHODS = new Set([
  'format',
  'format_map',
  'join',
  'replace',
  'substitute',
  'safe_substitute',
  '__add__',
  '__mod__',
  'joinpath',
  'with_name',
  'with_suffix',
  'with_stem',
  'union',
  'urljoin',
]);

export type CallModel =
  | { kind: 'conversion' }
  | { kind: 'escape'; clears: readonly SinkKind[] }
  | { kind: 'propagate' }
  | { kind: 'unknown' };

const CONVERSION_SET = new Set(CONVERSIONS);

/** How a call to a library function (by qualified name) treats untrusted arguments. */
export function modelOfFunction(qualifiedName: string): CallModel {
  if (CONVERSION_SET.has(qualifiedName)) return { kind: 'conversion' };
  const clears = ownEntry(ESCAPES, qualifiedName);
  if (clears !== undefined) return { kind: 'escape', clears };
  if (PROPAGATORS.has(qualifiedName)) return { kind: 'propagate' };
  return { kind: 'unknown' };
}

/** Method names whose result never carries the receiver's data (predicates, counts, I/O). */
export function isCleanMethod(method: string): boolean {
  return STRING_METHODS_CLEAN.has(method);
}

/** Method names whose result carries their arguments' data as well as the receiver's. */
export function isCombiningMethod(method: string): boolean {
  return COMBINING_METHODS.has(method);
}

/** Escape methods called on a value (`x.replace("\n", "")` is handled separately). */
export const ESCAPE_METHODS: Readonly<Record<string, readonly SinkKind[]>> = {
  escape: ['xss'],
  quote: ['command'],
  escape_filter_chars: ['ldap'],
};

export { ALL_SINKS };
