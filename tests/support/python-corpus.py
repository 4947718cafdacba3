"""Messages written by Python's email package, for the corpus test: python3 python-corpus.py DIR

Python writes RFC 2231 names (continuations for long ones), RFC 2047 words in charsets of its
choosing (UTF-7 among them when asked), quoted-printable and base64 in its own line lengths,
forwarded messages, digests, and related HTML: a second, independent composer next to
nodemailer, mutt and swaks. The file contents are fixed, so the files are the same each run.
"""
import binascii
import os
import sys
import zlib
from email import encoders
from email.header import Header
from email.message import EmailMessage
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP, compat32

PDF = b'%PDF-1.4\n' + bytes(range(256)) * 12 + b'\n%%EOF\n'
PNG = bytes.fromhex('89504e470d0a1a0a0000000d4948445200000001000000010806000000') + bytes(range(200))
DATA = bytes((i * 131 + 7) % 256 for i in range(5000))
CLIENT = 'Иван Петров <client@example.test>'
# The older email.mime classes take headers as they are: non-ASCII only through Header.
CLIENT_ASCII = 'Ivan Petrov <client@example.test>'
OPERATOR = 'operator@example.test'


def message(subject):
    m = EmailMessage()
    m['From'] = CLIENT
    m['To'] = OPERATOR
    m['Subject'] = subject
    m['Message-ID'] = '<%08x@python.corpus.test>' % zlib.crc32(subject.encode())
    return m


def files():
    m = message('Документы по договору')
    m.set_content('Добрый день! Документы во вложении.')
    m.add_attachment(PDF, maintype='application', subtype='pdf', filename='Договор №5.pdf')
    m.add_attachment(PNG, maintype='image', subtype='png', filename='Фото счёта.png')
    m.add_attachment(DATA, maintype='application', subtype='octet-stream', filename='данные.bin')
    long_name = 'Очень длинное название файла с актом сверки взаимных расчётов за первый квартал 2024 года.pdf'
    m.add_attachment(PDF[:900], maintype='application', subtype='pdf', filename=long_name)
    m.add_attachment(b'quoted "name" with \\ backslash', maintype='text', subtype='plain', filename='say "hi" \\ there.txt')
    return m


def related_html():
    m = message('HTML с картинкой')
    m.set_content('Текст письма.\nСчёт 5 = оплачен.\n', charset='koi8-r', cte='quoted-printable')
    m.add_alternative('<p>Текст письма.</p><p><img src="cid:logo@python"></p>', subtype='html')
    m.get_payload()[1].add_related(PNG, maintype='image', subtype='png', cid='<logo@python>', filename='logo.png')
    m.add_attachment(DATA, maintype='application', subtype='zip', filename='архив.zip')
    return m


def forwarded():
    inner = message('Исходное письмо')
    inner.set_content('Текст исходного письма.')
    inner.add_attachment(PDF, maintype='application', subtype='pdf', filename='inner.pdf')
    m = message('Fwd: Исходное письмо')
    m.set_content('Пересылаю.')
    m.add_attachment(inner)
    return m


def digest():
    m = MIMEMultipart('digest')
    m['From'] = CLIENT_ASCII
    m['To'] = OPERATOR
    m['Subject'] = 'Python digest'
    for i in range(3):
        part = MIMEText('Вопрос номер %d' % i, 'plain', 'utf-8')
        part['From'] = 'asker%d@example.test' % i
        part['Subject'] = 'Question %d' % i
        m.attach(MIMEMessage(part))
    return m


def utf7_words():
    m = MIMEMultipart()
    m['From'] = CLIENT_ASCII
    m['To'] = OPERATOR
    m['Subject'] = Header('Счёт №5 в UTF-7', 'utf-7')
    m.attach(MIMEText('UTF-7 words.', 'plain', 'us-ascii'))
    file = MIMEBase('application', 'pdf')
    file.set_payload(PDF)
    encoders.encode_base64(file)
    file.add_header('Content-Disposition', 'attachment', filename=Header('Счёт.pdf', 'utf-7').encode())
    m.attach(file)
    return m


def uuencoded():
    m = MIMEMultipart()
    m['From'] = CLIENT_ASCII
    m['To'] = OPERATOR
    m['Subject'] = 'uuencoded by hand in Python'
    m.attach(MIMEText('The data is attached in uuencode.', 'plain', 'us-ascii'))
    part = MIMEBase('application', 'octet-stream', name='data.bin')
    lines = [b'begin 644 data.bin'] + [binascii.b2a_uu(DATA[i:i + 45], backtick=True).rstrip(b'\n') for i in range(0, len(DATA), 45)] + [b'`', b'end', b'']
    part.set_payload(b'\n'.join(lines).decode('ascii'))
    part['Content-Transfer-Encoding'] = 'x-uuencode'
    m.attach(part)
    return m


def main(folder):
    os.makedirs(folder, exist_ok=True)
    for name, build in [('files', files), ('related-html', related_html), ('forwarded', forwarded), ('digest', digest), ('utf7-words', utf7_words), ('uuencoded', uuencoded)]:
        with open(os.path.join(folder, 'python-%s.eml' % name), 'wb') as f:
            built = build()
            f.write(built.as_bytes(policy=SMTP if isinstance(built, EmailMessage) else compat32.clone(linesep='\r\n')))


if __name__ == '__main__':
    main(sys.argv[1])
