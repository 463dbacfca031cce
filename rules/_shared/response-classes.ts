/**
 * Qualified names of the HTTP response builders of the Python web frameworks, for rules about
 * what goes into a response (its body, its headers).
 */

/** Flask/Quart `make_response(body, status, headers)`. */
export const MAKE_RESPONSE: readonly string[] = [
  'flask.make_response',
  'flask.helpers.make_response',
  'quart.make_response',
];

/** Werkzeug-style `Response(response, status, headers, mimetype, content_type)`. */
export const WERKZEUG_RESPONSES: readonly string[] = [
  'flask.Response',
  'flask.wrappers.Response',
  'werkzeug.Response',
  'werkzeug.wrappers.Response',
  'werkzeug.wrappers.response.Response',
  'quart.Response',
];

/** Pyramid/WebOb `Response(body, ..., content_type=..., text=...)`. */
export const WEBOB_RESPONSES: readonly string[] = [
  'pyramid.response.Response',
  'webob.Response',
  'webob.response.Response',
];

/** Django response classes by class name, under both modules that export them. */
export function djangoResponses(names: readonly string[]): string[] {
  return names.flatMap((name) => [`django.http.${name}`, `django.http.response.${name}`]);
}

/** Starlette response classes by class name, as Starlette and FastAPI export them. */
export function starletteResponses(names: readonly string[]): string[] {
  return names.flatMap((name) => [`starlette.responses.${name}`, `fastapi.responses.${name}`]);
}
