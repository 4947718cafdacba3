"""Python's reading of messages, to compare our parser's attachments with.

Usage: python3 python-attachments.py FILE...      (one JSON line per file, in order)
       python3 python-attachments.py --message FILE...

For each message: its Subject and the files in it, in message order, each with its name,
media type, size and SHA-256, as Python 3's email package (policy default) reads them.
"Files" are what Postdesk lists as attachments: every leaf part that is not shown as the
message text (text/plain, text/html and message/delivery-status are text unless their
Content-Disposition says otherwise), forwarded messages as one file, and the files
uuencoded into a plain text ("begin 644 name" ... "end"), which Python's email leaves in
the text: those are decoded here with binascii.a2b_uu, line by line.

A forwarded message (message/rfc822) is given by the SHA-256 of Python's serialization of it,
so that its bytes can be compared with the .eml we store: --message reads a file as one
message and gives the same hash.
"""
import binascii
import email
import email.policy
import hashlib
import json
import re
import sys

TEXT_TYPES = {'text/plain', 'text/html', 'message/delivery-status'}
BEGIN = re.compile(rb'^begin ([0-7]+) (.+)$')


def serialized(message):
    # compat32 writes the headers as they were read, so the same message gives the same bytes.
    return message.as_bytes(policy=email.policy.compat32)


def entry(name, media_type, data):
    return {'name': name, 'mediaType': media_type, 'size': len(data), 'sha256': hashlib.sha256(data).hexdigest()}


def a2b_uu(line):
    try:
        return binascii.a2b_uu(line)
    except binascii.Error:
        # The same workaround for broken encoders as Python's own email._decode_uu.
        return binascii.a2b_uu(line[:(((line[0] - 32) & 63) * 4 + 5) // 3])


def data_line(line):
    try:
        return a2b_uu(line) if line else None
    except (binascii.Error, IndexError):
        return None


def uuencoded_files(text):
    """The begin ... end blocks of a text, by the rule the outline applies: a begin line counts
    only when a data line that carries all its characters (or "end") follows it."""
    files = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        begin = BEGIN.match(lines[i])
        following = lines[i + 1] if i + 1 < len(lines) else None
        first = data_line(following) if following is not None else None
        starts = following is not None and (following.strip() == b'end' or (first and len(following) - 1 >= -(-len(first) * 4 // 3)))
        if not (begin and starts):
            i += 1
            continue
        chunks = []
        i += 1
        while i < len(lines):
            if lines[i].strip() == b'end':
                i += 1
                break
            decoded = data_line(lines[i])
            if decoded is None:
                break
            chunks.append(decoded)
            i += 1
        files.append(entry(begin.group(2).decode('utf-8', 'surrogateescape'), 'application/octet-stream', b''.join(chunks)))
    return files


def files_of(message):
    files = []
    for part in leaves(message):
        media_type = part.get_content_type()
        disposition = part.get_content_disposition()
        if media_type == 'message/rfc822':
            files.append(entry(part.get_filename(), media_type, serialized(part.get_payload()[0])))
        elif media_type in TEXT_TYPES and disposition in (None, 'inline'):
            if media_type == 'text/plain':
                files.extend(uuencoded_files(text_bytes(part)))
        else:
            files.append(entry(name_of(part), media_type, part.get_payload(decode=True) or b''))
    return files


def name_of(part):
    """The file name, or None when its header holds raw 8-bit bytes: Python reads those as UTF-8
    with replacement characters, which is no reading of a legacy charset to compare with."""
    for key, value in part.raw_items():
        if key.lower() in ('content-type', 'content-disposition') and re.search('[\udc80-\udcff]', str(value)):
            return None
    return part.get_filename()


def leaves(message):
    """The parts that are not multiparts, in order; a forwarded message is one, not gone into."""
    if message.get_content_type() == 'message/rfc822' or not message.is_multipart():
        yield message
        return
    for part in message.get_payload():
        yield from leaves(part)


def text_bytes(part):
    # A text "in uuencode" is text with begin blocks in it, as it came (decode=True would decode one).
    if part.get('content-transfer-encoding', '').strip().lower() in ('x-uuencode', 'uuencode', 'uue', 'x-uue'):
        return part.get_payload().encode('ascii', 'surrogateescape')
    return part.get_payload(decode=True) or b''


def read(path):
    with open(path, 'rb') as f:
        return email.message_from_bytes(f.read(), policy=email.policy.default)


def main(args):
    as_message = args[:1] == ['--message']
    for path in args[1:] if as_message else args:
        message = read(path)
        if as_message:
            print(json.dumps({'sha256': hashlib.sha256(serialized(message)).hexdigest()}))
            continue
        print(json.dumps({'subject': str(message.get('subject', '')), 'files': files_of(message)}, ensure_ascii=False))


if __name__ == '__main__':
    main(sys.argv[1:])
