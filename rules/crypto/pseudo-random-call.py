import random
import secrets
from random import randint, Random, SystemRandom
import random as rnd

import numpy


def jitter(delay):
    # ruleid: pseudo-random-call
    return delay * random.uniform(0.5, 1.5)


def shuffled(items):
    # ruleid: pseudo-random-call
    random.shuffle(items)
    return items


def roll():
    # ruleid: pseudo-random-call
    return randint(1, 6)


def seeded():
    # ruleid: pseudo-random-call
    generator = Random(42)
    return generator


def short_id():
    # ruleid: pseudo-random-call
    return "".join(rnd.choices("abcdef0123456789", k=8))


def raw_bits():
    # ruleid: pseudo-random-call
    return random.getrandbits(64)


def token():
    # ok: pseudo-random-call
    return secrets.token_urlsafe(32)


def system_choice(items):
    # ok: pseudo-random-call
    return SystemRandom().choice(items)


def seeding():
    # ok: pseudo-random-call
    random.seed(1)


def numpy_noise(shape):
    # ok: pseudo-random-call
    return numpy.random.normal(size=shape)
