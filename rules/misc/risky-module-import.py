import importlib
import json
import os.path

# ruleid: risky-module-import
import telnetlib

# ruleid: risky-module-import
from ftplib import FTP

# ruleid: risky-module-import
import pickle as serialiser

# ruleid: risky-module-import
import dill, shelve

# ruleid: risky-module-import
from subprocess import run

# ruleid: risky-module-import
import xml.etree.ElementTree as ET

# ruleid: risky-module-import
from xml.etree import cElementTree

# ruleid: risky-module-import
from xml import sax

# ruleid: risky-module-import
from xml.dom.minidom import parseString

# ruleid: risky-module-import
import xml.dom.pulldom

# ruleid: risky-module-import
from xml.dom import expatbuilder

# ruleid: risky-module-import
from lxml import etree

# ruleid: risky-module-import
import xmlrpc.client

# ruleid: risky-module-import
from wsgiref.handlers import CGIHandler

# ruleid: risky-module-import
from twisted.web.twcgi import CGIScript, CGIDirectory

# ruleid: risky-module-import
from Crypto.Cipher import AES

# ruleid: risky-module-import
import pyghmi.ipmi.command

# ok: risky-module-import
import xml

# ok: risky-module-import
from xml.dom import Node

# ok: risky-module-import
import wsgiref.simple_server

# ok: risky-module-import
from cryptography.fernet import Fernet

# ok: risky-module-import
from Cryptodome.Cipher import ChaCha20_Poly1305

# ok: risky-module-import
from . import pickle_helpers

# ok: risky-module-import
import pickletools_extra


def load_plugin(kind):
    # ruleid: risky-module-import
    telnet = __import__("telnetlib")
    # ruleid: risky-module-import
    pickle_module = importlib.import_module("pickle")
    # ok: risky-module-import
    codec = importlib.import_module("json")
    # ok: risky-module-import
    chosen = importlib.import_module(kind)
    return telnet, pickle_module, codec, chosen, json, os.path
