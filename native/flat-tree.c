/*
 * PyGuard's flat syntax tree: one call parses Python source with tree-sitter and returns the
 * whole tree as one Int32Array, then frees the tree before returning. Nothing native outlives
 * the call, so memory no longer waits on V8's garbage collector.
 *
 * The input is untrusted. The walk is iterative (an explicit stack on the heap, no recursion on
 * depth), every buffer grows with an overflow check, and input whose indentation could overflow
 * the Python scanner's serialisation buffer (an assertion that aborts the process) is refused
 * before the parser sees it. Callers refuse such input first with a precise reason; the check
 * here is a conservative backstop so that this function is safe on its own.
 *
 * Offsets and columns are in UTF-16 code units: the source is parsed as UTF-16, as the Node
 * binding does, so they are JavaScript string indices.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tree_sitter/api.h"
#include "clock.h"

const TSLanguage *tree_sitter_python(void);

/* Int32 slots per node in the returned array; keep in step with src/engine/flat-tree.ts. */
enum {
  SLOT_KIND = 0,
  SLOT_FIELD = 1,
  SLOT_FLAGS = 2,
  SLOT_START = 3,
  SLOT_END = 4,
  SLOT_START_ROW = 5,
  SLOT_START_COLUMN = 6,
  SLOT_END_ROW = 7,
  SLOT_END_COLUMN = 8,
  SLOT_PARENT = 9,
  SLOT_FIRST_CHILD = 10,
  SLOT_NEXT_SIBLING = 11,
  STRIDE = 12
};

enum { FLAG_NAMED = 1, FLAG_MISSING = 2, FLAG_HAS_ERROR = 4, FLAG_EXTRA = 8 };

/* Distinct indentation widths from which the scanner's state could overflow its buffer. */
#define SCANNER_CRASH_WIDTHS 384
#define WIDTH_LIMIT 65536

typedef struct {
  TSParser *parser;
  uint32_t symbol_count;
} AddonState;

typedef struct {
  const uint16_t *text;
  uint32_t length;
} Source;

typedef struct {
  int32_t *slots;
  size_t count;
  size_t capacity;
} NodeBuffer;

static const char *read_source(void *payload, uint32_t byte_offset, TSPoint position,
                               uint32_t *bytes_read) {
  (void)position;
  const Source *source = (const Source *)payload;
  uint32_t index = byte_offset / 2;
  if (index >= source->length) {
    *bytes_read = 0;
    return "";
  }
  *bytes_read = (source->length - index) * 2;
  return (const char *)(source->text + index);
}

static bool past_deadline(TSParseState *state) {
  const TSClock *deadline = (const TSClock *)state->payload;
  return clock_is_gt(clock_now(), *deadline);
}

/*
 * Conservative backstop of the caller's indentation refusal: the scanner's indentation stack
 * holds strictly increasing widths, so it cannot be deeper than the number of distinct leading
 * widths of lines that hold anything. Widths are counted as the scanner counts them (space 1,
 * tab 8, form feed restarts), carried across backslash-continued whitespace.
 */
static bool may_overflow_scanner(const uint16_t *text, uint32_t length) {
  uint8_t *seen = calloc(WIDTH_LIMIT / 8, 1);
  if (seen == NULL) return true;
  uint32_t distinct = 0;
  uint32_t index = 0;
  uint32_t carried = 0;
  while (index < length && distinct < SCANNER_CRASH_WIDTHS) {
    uint32_t width = carried;
    carried = 0;
    while (index < length && (text[index] == ' ' || text[index] == '\t' || text[index] == '\f')) {
      uint16_t code = text[index];
      width = code == ' ' ? width + 1 : code == '\t' ? width + 8 : 0;
      if (width > UINT32_MAX / 2) width = UINT32_MAX / 2;
      index++;
    }
    if (index < length && text[index] == '\\') carried = width;
    if (index < length && text[index] != '\n' && text[index] != '\r') {
      uint32_t key = width & (WIDTH_LIMIT - 1);
      if (!(seen[key / 8] & (1u << (key % 8)))) {
        seen[key / 8] |= (uint8_t)(1u << (key % 8));
        distinct++;
      }
    }
    while (index < length && text[index] != '\n') index++;
    index++;
  }
  free(seen);
  return distinct >= SCANNER_CRASH_WIDTHS;
}

static int32_t *append_node(NodeBuffer *buffer) {
  if (buffer->count == buffer->capacity) {
    size_t capacity = buffer->capacity == 0 ? 4096 : buffer->capacity * 2;
    if (capacity > (size_t)INT32_MAX / STRIDE) return NULL;
    int32_t *grown = realloc(buffer->slots, capacity * STRIDE * sizeof(int32_t));
    if (grown == NULL) return NULL;
    buffer->slots = grown;
    buffer->capacity = capacity;
  }
  return buffer->slots + buffer->count++ * STRIDE;
}

static int32_t kind_of(const AddonState *state, TSSymbol symbol) {
  if (symbol < state->symbol_count) return (int32_t)symbol;
  /* ERROR and its repetition sit after the language's own symbols in the name table. */
  return symbol == (TSSymbol)-2 ? (int32_t)state->symbol_count + 1 : (int32_t)state->symbol_count;
}

/* Records the cursor's node; returns its index, or -1 when memory runs out. */
static int32_t record(const AddonState *state, NodeBuffer *buffer, TSTreeCursor *cursor,
                      int32_t parent) {
  int32_t *slots = append_node(buffer);
  if (slots == NULL) return -1;
  TSNode node = ts_tree_cursor_current_node(cursor);
  TSPoint start = ts_node_start_point(node);
  TSPoint end = ts_node_end_point(node);
  slots[SLOT_KIND] = kind_of(state, ts_node_symbol(node));
  slots[SLOT_FIELD] = (int32_t)ts_tree_cursor_current_field_id(cursor);
  slots[SLOT_FLAGS] = (ts_node_is_named(node) ? FLAG_NAMED : 0) |
                      (ts_node_is_missing(node) ? FLAG_MISSING : 0) |
                      (ts_node_has_error(node) ? FLAG_HAS_ERROR : 0) |
                      (ts_node_is_extra(node) ? FLAG_EXTRA : 0);
  slots[SLOT_START] = (int32_t)(ts_node_start_byte(node) / 2);
  slots[SLOT_END] = (int32_t)(ts_node_end_byte(node) / 2);
  slots[SLOT_START_ROW] = (int32_t)start.row;
  slots[SLOT_START_COLUMN] = (int32_t)(start.column / 2);
  slots[SLOT_END_ROW] = (int32_t)end.row;
  slots[SLOT_END_COLUMN] = (int32_t)(end.column / 2);
  slots[SLOT_PARENT] = parent;
  slots[SLOT_FIRST_CHILD] = -1;
  slots[SLOT_NEXT_SIBLING] = -1;
  return (int32_t)(buffer->count - 1);
}

/* Walks the whole tree in document order with an explicit stack. Returns false on exhaustion. */
static bool flatten(const AddonState *state, TSTree *tree, NodeBuffer *buffer) {
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  size_t stack_capacity = 256;
  size_t depth = 0;
  int32_t *stack = malloc(stack_capacity * sizeof(int32_t));
  bool ok = stack != NULL;
  if (ok) {
    stack[0] = record(state, buffer, &cursor, -1);
    ok = stack[0] >= 0;
  }
  while (ok) {
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      int32_t parent = stack[depth];
      int32_t child = record(state, buffer, &cursor, parent);
      if (child < 0) {
        ok = false;
        break;
      }
      buffer->slots[(size_t)parent * STRIDE + SLOT_FIRST_CHILD] = child;
      if (depth + 1 == stack_capacity) {
        int32_t *grown = realloc(stack, stack_capacity * 2 * sizeof(int32_t));
        if (grown == NULL) {
          ok = false;
          break;
        }
        stack = grown;
        stack_capacity *= 2;
      }
      stack[++depth] = child;
      continue;
    }
    bool moved = false;
    while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor))) {
      if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) break;
      depth--;
    }
    if (!moved) break;
    int32_t sibling = record(state, buffer, &cursor, stack[depth - 1]);
    if (sibling < 0) {
      ok = false;
      break;
    }
    buffer->slots[(size_t)stack[depth] * STRIDE + SLOT_NEXT_SIBLING] = sibling;
    stack[depth] = sibling;
  }
  free(stack);
  ts_tree_cursor_delete(&cursor);
  return ok;
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static napi_value refusal(napi_env env, const char *reason) {
  napi_value result, text;
  if (napi_create_object(env, &result) != napi_ok) return NULL;
  if (napi_create_string_utf8(env, reason, NAPI_AUTO_LENGTH, &text) != napi_ok) return NULL;
  if (napi_set_named_property(env, result, "refused", text) != napi_ok) return NULL;
  return result;
}

static napi_value nodes_result(napi_env env, const NodeBuffer *buffer) {
  size_t bytes = buffer->count * STRIDE * sizeof(int32_t);
  void *data = NULL;
  napi_value array_buffer, array, result;
  if (napi_create_arraybuffer(env, bytes, &data, &array_buffer) != napi_ok) return NULL;
  memcpy(data, buffer->slots, bytes);
  if (napi_create_typedarray(env, napi_int32_array, buffer->count * STRIDE, array_buffer, 0,
                             &array) != napi_ok) {
    return NULL;
  }
  if (napi_create_object(env, &result) != napi_ok) return NULL;
  if (napi_set_named_property(env, result, "nodes", array) != napi_ok) return NULL;
  return result;
}

/*
 * parse(text: string, timeoutMs: number):
 *   { nodes: Int32Array } | { refused: string } | null (deadline passed)
 */
static napi_value parse(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  AddonState *state = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&state) != napi_ok) return NULL;
  if (argc < 2 || state == NULL) return throw_error(env, "parse(text, timeoutMs) expected");
  napi_valuetype type;
  if (napi_typeof(env, argv[0], &type) != napi_ok || type != napi_string) {
    return throw_error(env, "text must be a string");
  }
  double timeout_ms;
  if (napi_get_value_double(env, argv[1], &timeout_ms) != napi_ok || !(timeout_ms >= 0)) {
    return throw_error(env, "timeoutMs must be a non-negative number");
  }
  size_t length;
  if (napi_get_value_string_utf16(env, argv[0], NULL, 0, &length) != napi_ok) return NULL;
  if (length >= UINT32_MAX / 2) return refusal(env, "not scanned: the file is too large to parse");
  uint16_t *text = malloc((length + 1) * sizeof(uint16_t));
  if (text == NULL) return throw_error(env, "out of memory");
  size_t copied;
  if (napi_get_value_string_utf16(env, argv[0], (char16_t *)text, length + 1, &copied) !=
          napi_ok ||
      copied != length) {
    free(text);
    return throw_error(env, "could not read the source text");
  }
  if (may_overflow_scanner(text, (uint32_t)length)) {
    free(text);
    return refusal(env, "not scanned: lines start at too many different indentation widths "
                        "for tree-sitter to parse safely");
  }

  Source source = {text, (uint32_t)length};
  TSInput input = {
    .payload = &source,
    .read = read_source,
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    .encoding = TSInputEncodingUTF16BE,
#else
    .encoding = TSInputEncodingUTF16LE,
#endif
    .decode = NULL,
  };
  double micros = timeout_ms * 1000.0;
  TSClock deadline = clock_after(clock_now(), duration_from_micros(
                                                  micros > 1e15 ? (uint64_t)1e15 : (uint64_t)micros));
  TSParseOptions options = {.payload = &deadline, .progress_callback = past_deadline};
  TSTree *tree = ts_parser_parse_with_options(state->parser, NULL, input, options);
  if (tree == NULL) {
    /* A cancelled parse would otherwise be resumed by the next call, on the next file. */
    ts_parser_reset(state->parser);
    free(text);
    napi_value nothing;
    napi_get_null(env, &nothing);
    return nothing;
  }
  NodeBuffer buffer = {NULL, 0, 0};
  bool flattened = flatten(state, tree, &buffer);
  ts_tree_delete(tree);
  free(text);
  napi_value result = flattened ? nodes_result(env, &buffer) : throw_error(env, "out of memory");
  free(buffer.slots);
  return result;
}

static napi_value string_array(napi_env env, const char *const *names, uint32_t count) {
  napi_value array;
  if (napi_create_array_with_length(env, count, &array) != napi_ok) return NULL;
  for (uint32_t i = 0; i < count; i++) {
    napi_value name;
    const char *text = names[i] == NULL ? "" : names[i];
    if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &name) != napi_ok) return NULL;
    if (napi_set_element(env, array, i, name) != napi_ok) return NULL;
  }
  return array;
}

/* language(): { kinds: string[], fields: string[] } (fields[0] is the empty name of "none"). */
static napi_value language(napi_env env, napi_callback_info info) {
  (void)info;
  const TSLanguage *python = tree_sitter_python();
  uint32_t symbol_count = ts_language_symbol_count(python);
  uint32_t field_count = ts_language_field_count(python);
  const char **kinds = calloc(symbol_count + 2, sizeof(char *));
  const char **fields = calloc(field_count + 1, sizeof(char *));
  napi_value result = NULL;
  if (kinds != NULL && fields != NULL) {
    for (uint32_t i = 0; i < symbol_count; i++) kinds[i] = ts_language_symbol_name(python, i);
    kinds[symbol_count] = "ERROR";
    kinds[symbol_count + 1] = "_ERROR";
    for (uint32_t i = 1; i <= field_count; i++) fields[i] = ts_language_field_name_for_id(python, i);
    napi_value kind_names = string_array(env, kinds, symbol_count + 2);
    napi_value field_names = kind_names == NULL ? NULL : string_array(env, fields, field_count + 1);
    if (field_names != NULL && napi_create_object(env, &result) == napi_ok) {
      napi_set_named_property(env, result, "kinds", kind_names);
      napi_set_named_property(env, result, "fields", field_names);
    }
  }
  free(kinds);
  free(fields);
  return result;
}

static void release_state(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  AddonState *state = (AddonState *)data;
  ts_parser_delete(state->parser);
  free(state);
}

NAPI_MODULE_INIT() {
  AddonState *state = calloc(1, sizeof(AddonState));
  if (state == NULL) return throw_error(env, "out of memory");
  state->parser = ts_parser_new();
  const TSLanguage *python = tree_sitter_python();
  if (state->parser == NULL || !ts_parser_set_language(state->parser, python)) {
    if (state->parser != NULL) ts_parser_delete(state->parser);
    free(state);
    return throw_error(env, "tree-sitter-python is not compatible with the tree-sitter runtime");
  }
  state->symbol_count = ts_language_symbol_count(python);
  if (napi_set_instance_data(env, state, release_state, NULL) != napi_ok) {
    release_state(env, state, NULL);
    return NULL;
  }
  napi_property_descriptor methods[] = {
    {"parse", NULL, parse, NULL, NULL, NULL, napi_default, state},
    {"language", NULL, language, NULL, NULL, NULL, napi_default, state},
  };
  if (napi_define_properties(env, exports, 2, methods) != napi_ok) return NULL;
  return exports;
}
