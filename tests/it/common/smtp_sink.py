"""The tests' SMTP server: aiosmtpd's Maildir handler, which refuses for good (550) any
recipient whose address starts with "reject", so a permanent failure can be tested."""

from aiosmtpd.handlers import Mailbox


class Sink(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"
