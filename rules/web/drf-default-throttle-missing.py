import os

DEBUG = os.environ.get("DEBUG") == "1"
BASE_REST_FRAMEWORK = {"PAGE_SIZE": 20}

# ok: drf-default-throttle-missing
REST_FRAMEWORK = {
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "100/day", "user": "1000/day"},
}

# ok: drf-default-throttle-missing
REST_FRAMEWORK = {**BASE_REST_FRAMEWORK, "PAGE_SIZE": 50}

# ok: drf-default-throttle-missing
REST_FRAMEWORK = {"PAGE_SIZE": 10}
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["rest_framework.throttling.UserRateThrottle"]
REST_FRAMEWORK.update({"DEFAULT_THROTTLE_RATES": {"user": "1000/day"}})


def ok_function_local():
    # ok: drf-default-throttle-missing
    REST_FRAMEWORK = {"PAGE_SIZE": 10}
    return REST_FRAMEWORK


# ok: drf-default-throttle-missing
OTHER_SETTINGS = {"PAGE_SIZE": 10}

# ruleid: drf-default-throttle-missing
REST_FRAMEWORK = {
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
}

# ruleid: drf-default-throttle-missing
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
