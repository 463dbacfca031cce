import random
import random as rnd
import secrets
import string
import time
import uuid
from dataclasses import dataclass, field
from random import choice as pick, randint

from django.db import models

ALPHABET = string.ascii_letters + string.digits


def bad_token_join(length=32):
    # ruleid: insecure-randomness
    token = "".join(random.choice(ALPHABET) for _ in range(length))
    return token


def bad_password_choices():
    # ruleid: insecure-randomness
    new_password = "".join(rnd.choices(ALPHABET, k=12))
    return new_password


def bad_from_import_alias(user):
    # ruleid: insecure-randomness
    user.reset_code = "".join(pick(string.digits) for _ in range(6))


def bad_otp_number():
    # ruleid: insecure-randomness
    otp = str(randint(100000, 999999))
    return otp


def bad_keyword(user_model):
    # ruleid: insecure-randomness
    return user_model(name="x", api_key="%032x" % random.getrandbits(128))


def bad_dict_key():
    # ruleid: insecure-randomness
    return {"csrfToken": random.randbytes(16).hex()}


def bad_subscript(session):
    # ruleid: insecure-randomness
    session["csrf_token"] = hex(random.getrandbits(64))


def bad_augmented():
    secret = ""
    for _ in range(16):
        # ruleid: insecure-randomness
        secret += ALPHABET[random.randrange(len(ALPHABET))]
    return secret


def bad_random_instance():
    rng = random.Random()
    # ruleid: insecure-randomness
    nonce = rng.getrandbits(96)
    return nonce


def bad_returned_secret():
    # ruleid: insecure-randomness
    return random.sample(ALPHABET, 8)


def make_salt():
    # ruleid: insecure-randomness
    return "".join(random.sample(ALPHABET, 8))


def generate_password(length=12):
    chars = []
    for _ in range(length):
        # ruleid: insecure-randomness
        chars.append(random.choice(ALPHABET))
    return "".join(chars)


def bad_uuid1_token():
    # ruleid: insecure-randomness
    session_id = str(uuid.uuid1())
    return session_id


def bad_multiline():
    # ruleid: insecure-randomness
    verification_code = random.randint(
        1000,
        9999,
    )
    return verification_code


def bad_function_level_import():
    from random import random as uniform_float

    # ruleid: insecure-randomness
    salt = str(uniform_float())
    return salt


class ApiClient(models.Model):
    # ruleid: insecure-randomness
    api_key = models.CharField(max_length=40, default=lambda: "%040x" % random.getrandbits(160))


@dataclass
class Invitation:
    # ruleid: insecure-randomness
    code_token: str = field(default_factory=lambda: str(random.randint(0, 10**8)))
    # ok: insecure-randomness
    retries: int = field(default_factory=lambda: random.randint(1, 3))


def ok_simulation():
    # ok: insecure-randomness
    dice = random.randint(1, 6)
    # ok: insecure-randomness
    angle = random.uniform(0, 360)
    return dice, angle


def ok_game(players):
    # ok: insecure-randomness
    return random.choice(players)


def ok_ml_shuffle_and_split(rows):
    random.seed(42)
    # ok: insecure-randomness
    random.shuffle(rows)
    # ok: insecure-randomness
    validation = random.sample(rows, k=len(rows) // 10)
    return validation


def ok_retry_jitter(attempt):
    # ok: insecure-randomness
    time.sleep(2**attempt + random.random())
    # ok: insecure-randomness
    delay = random.uniform(0.5, 1.5) * attempt
    return delay


def ok_quantities_next_to_security_words(vocab_size):
    # ok: insecure-randomness
    password_length = random.randint(12, 16)
    # ok: insecure-randomness
    masked_token = random.randrange(vocab_size)
    # ok: insecure-randomness
    num_tokens = random.randint(1, 512)
    return password_length, masked_token, num_tokens


def generate_token_with_settings():
    # ok: insecure-randomness
    length = random.randint(32, 48)
    # ok: insecure-randomness
    return secrets.token_urlsafe(length)


def ok_system_random():
    # ok: insecure-randomness
    token = "".join(random.SystemRandom().choice(ALPHABET) for _ in range(32))
    sysrand = random.SystemRandom()
    # ok: insecure-randomness
    password = "".join(sysrand.choice(ALPHABET) for _ in range(16))
    return token, password


def ok_secrets():
    # ok: insecure-randomness
    token = secrets.token_hex(16)
    # ok: insecure-randomness
    otp = "".join(secrets.choice(string.digits) for _ in range(6))
    return token, otp


def ok_uuid4():
    # ok: insecure-randomness
    session_id = str(uuid.uuid4())
    return session_id


def ok_sampling_rate():
    # ok: insecure-randomness
    return random.random() < 0.1


def bad_redeemable_codes():
    # ruleid: insecure-randomness
    gift_voucher = "".join(random.choices(string.ascii_uppercase + string.digits, k=10))
    # ruleid: insecure-randomness
    coupon = "-".join(rnd.sample(ALPHABET, 4))
    # ruleid: insecure-randomness
    event_ticket = f"T{random.randint(0, 99999999):08d}"
    # ruleid: insecure-randomness
    invite_link_part = "{:x}".format(random.getrandbits(80))
    # ruleid: insecure-randomness
    code = random.randint(100000, 999999)
    return gift_voucher, coupon, event_ticket, invite_link_part, code


def bad_raw_bits_key():
    # ruleid: insecure-randomness
    partner_api_key = "%040x" % random.getrandbits(160)
    # ruleid: insecure-randomness
    signing_key = hex(random.getrandbits(256))
    # ruleid: insecure-randomness
    key = random.randbytes(32).hex()
    return partner_api_key, signing_key, key


def pick_letters():
    # ruleid: insecure-randomness
    return "".join(random.choices(string.ascii_letters, k=12))


def bad_caller_names_the_secret():
    voucher_code = pick_letters()
    return voucher_code


def store_credentials(owner, api_token):
    return owner, api_token


def bad_positional_parameter(owner):
    # ruleid: insecure-randomness
    return store_credentials(owner, "%x" % random.getrandbits(128))


def ok_category_codes(rows):
    # ok: insecure-randomness
    status_code = random.choice([200, 404, 500])
    # ok: insecure-randomness
    country_code = random.choice(["DE", "FR", "NL"])
    # ok: insecure-randomness
    sort_key = random.random()
    # ok: insecure-randomness
    key = random.choice(list(rows))
    return status_code, country_code, sort_key, key


def shuffle_label():
    # ok: insecure-randomness
    return random.choice(["red", "green", "blue"])


def ok_caller_neutral():
    colour = shuffle_label()
    return colour


def record_roll(player, value):
    return player, value


def ok_positional_neutral(player):
    # ok: insecure-randomness
    return record_roll(player, random.randint(1, 6))
