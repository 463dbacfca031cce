import asyncssh
import paramiko
import paramiko as pm
from paramiko import AutoAddPolicy, RejectPolicy, SSHClient
from paramiko.client import WarningPolicy as Warn


def bad_auto_add(host):
    client = paramiko.SSHClient()
    # ruleid: ssh-host-key-not-verified
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, username="deploy")
    return client


def bad_class_not_instance(host):
    client = SSHClient()
    # ruleid: ssh-host-key-not-verified
    client.set_missing_host_key_policy(AutoAddPolicy)
    return client


def bad_alias_and_warning():
    client = pm.SSHClient()
    # ruleid: ssh-host-key-not-verified
    client.set_missing_host_key_policy(Warn())
    return client


def bad_policy_variable(client):
    policy = pm.client.AutoAddPolicy()
    # ruleid: ssh-host-key-not-verified
    client.set_missing_host_key_policy(policy)


def bad_multiline(self):
    # ruleid: ssh-host-key-not-verified
    self.ssh.set_missing_host_key_policy(
        paramiko.WarningPolicy(),
    )


async def bad_asyncssh(host):
    # ruleid: ssh-host-key-not-verified
    async with asyncssh.connect(host, username="deploy", known_hosts=None) as conn:
        return await conn.run("uptime")


def ok_reject(host):
    client = paramiko.SSHClient()
    # ok: ssh-host-key-not-verified
    client.load_system_host_keys()
    # ok: ssh-host-key-not-verified
    client.set_missing_host_key_policy(RejectPolicy())
    # ok: ssh-host-key-not-verified
    client.set_missing_host_key_policy(paramiko.RejectPolicy)
    client.connect(host)
    return client


class PinnedPolicy(paramiko.MissingHostKeyPolicy):
    def missing_host_key(self, client, hostname, key):
        raise paramiko.SSHException(hostname)


def ok_custom_policy(client):
    # ok: ssh-host-key-not-verified
    client.set_missing_host_key_policy(PinnedPolicy())


async def ok_asyncssh_known_hosts(host):
    # ok: ssh-host-key-not-verified
    async with asyncssh.connect(host, known_hosts="/etc/ssh/ssh_known_hosts") as conn:
        return await conn.run("uptime")


def bad_function_import(host):
    import paramiko as ssh

    client = ssh.SSHClient()
    # ruleid: ssh-host-key-not-verified
    client.set_missing_host_key_policy(ssh.AutoAddPolicy())
    return client
