#!/usr/bin/env python3
"""Writes the hand-made report samples of tests/reports/handmade (see ../README.md).

Run from anywhere: `python3 tests/reports/make-handmade.py`. The output is deterministic
(gzip and zip timestamps fixed), so a rerun changes no file.
"""
import base64
import gzip
import io
import os
import zipfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "handmade")


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def record(ip, count, disposition, dkim_eval, spf_eval, header_from, dkim, spf, envelope_from=None, reason=None):
    dkim_xml = "".join(
        f"<dkim><domain>{d}</domain><selector>{s}</selector><result>{r}</result></dkim>" for d, s, r in dkim
    )
    spf_xml = "".join(f"<spf><domain>{d}</domain><scope>mfrom</scope><result>{r}</result></spf>" for d, r in spf)
    reason_xml = f"<reason><type>{reason[0]}</type><comment>{reason[1]}</comment></reason>" if reason else ""
    envelope = f"<envelope_from>{envelope_from}</envelope_from>" if envelope_from else ""
    return f"""  <record>
    <row>
      <source_ip>{ip}</source_ip>
      <count>{count}</count>
      <policy_evaluated>
        <disposition>{disposition}</disposition>
        <dkim>{dkim_eval}</dkim>
        <spf>{spf_eval}</spf>{reason_xml}
      </policy_evaluated>
    </row>
    <identifiers>
      <header_from>{header_from}</header_from>{envelope}
    </identifiers>
    <auth_results>
      {dkim_xml}{spf_xml}
    </auth_results>
  </record>
"""


# Google's shape: an XML prolog, no namespace, the elements of RFC 7489 Appendix C.
GOOGLE_RECORDS = [
    record("192.0.2.10", 120, "none", "pass", "pass", "example.com",
           [("example.com", "google", "pass")], [("example.com", "pass")]),
    record("198.51.100.20", 30, "none", "fail", "fail", "example.com",
           [], [("bnc3.mailjet.com", "pass")]),
    record("203.0.113.5", 7, "none", "fail", "fail", "example.com",
           [], [("spoofer.example", "fail")]),
    record("203.0.113.9", 3, "none", "fail", "fail", "example.com",
           [], [("", "none")]),
    record("192.0.2.77", 5, "none", "fail", "fail", "example.com",
           [("sendgrid.net", "s1", "pass")], [("sendgrid.net", "pass")]),
]


def google(report_id, records, begin=1767225600):
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <report_metadata>
    <org_name>google.com</org_name>
    <email>noreply-dmarc-support@google.com</email>
    <extra_contact_info>https://support.google.com/a/answer/2466580</extra_contact_info>
    <report_id>{report_id}</report_id>
    <date_range>
      <begin>{begin}</begin>
      <end>{begin + 86399}</end>
    </date_range>
  </report_metadata>
  <policy_published>
    <domain>example.com</domain>
    <adkim>r</adkim>
    <aspf>r</aspf>
    <p>none</p>
    <sp>none</sp>
    <pct>100</pct>
    <np>none</np>
  </policy_published>
{''.join(records)}</feedback>
"""


GOOGLE = google("hm-google-1", GOOGLE_RECORDS)
write("google.xml", GOOGLE)
write("google.xml.gz", gzip.compress(GOOGLE.encode(), mtime=0))

# Outlook.com / Microsoft's DMARCbis shape: the dmarc-2.0 namespace on the root, <version>,
# a generator, DMARCbis policy elements, no <pct>, extra whitespace around values.
OUTLOOK = """<?xml version="1.0"?>
<feedback xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="urn:ietf:params:xml:ns:dmarc-2.0">
  <version>1.0</version>
  <report_metadata>
    <org_name>Outlook.com</org_name>
    <email>dmarcreport@microsoft.com</email>
    <report_id>  hm-outlook-1  </report_id>
    <date_range>
      <begin> 1767225600 </begin>
      <end> 1767312000 </end>
    </date_range>
    <generator>Microsoft</generator>
  </report_metadata>
  <policy_published>
    <domain> example.com </domain>
    <adkim>r</adkim>
    <aspf>r</aspf>
    <p>quarantine</p>
    <sp>quarantine</sp>
    <np>reject</np>
    <testing>n</testing>
    <discovery_method>treewalk</discovery_method>
  </policy_published>
  <record>
    <row>
      <source_ip>  192.0.2.10  </source_ip>
      <count>  50  </count>
      <policy_evaluated>
        <disposition>none</disposition>
        <dkim>pass</dkim>
        <spf>pass</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <envelope_to>outlook.com</envelope_to>
      <envelope_from>example.com</envelope_from>
      <header_from>example.com</header_from>
    </identifiers>
    <auth_results>
      <dkim>
        <domain>example.com</domain>
        <selector>google</selector>
        <result>pass</result>
        <human_result></human_result>
      </dkim>
      <spf>
        <domain>example.com</domain>
        <scope>mfrom</scope>
        <result>pass</result>
        <human_result></human_result>
      </spf>
    </auth_results>
  </record>
  <record>
    <row>
      <source_ip>2001:db8::25</source_ip>
      <count>10</count>
      <policy_evaluated>
        <disposition>quarantine</disposition>
        <dkim>fail</dkim>
        <spf>fail</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <envelope_to>hotmail.com</envelope_to>
      <envelope_from>bnc3.mailjet.com</envelope_from>
      <header_from>example.com</header_from>
    </identifiers>
    <auth_results>
      <spf>
        <domain>bnc3.mailjet.com</domain>
        <scope>mfrom</scope>
        <result>pass</result>
      </spf>
    </auth_results>
  </record>
</feedback>
"""
write("outlook-dmarcbis.xml", OUTLOOK)

# Yahoo's shape: a prolog, no namespace, <version>, the envelope domains left out.
YAHOO = """<?xml version="1.0"?>
<feedback>
  <report_metadata>
    <org_name>Yahoo</org_name>
    <email>dmarchelp@yahooinc.com</email>
    <report_id>hm-yahoo-1</report_id>
    <date_range>
      <begin>1767225600</begin>
      <end>1767311999</end>
    </date_range>
  </report_metadata>
  <policy_published>
    <domain>example.com</domain>
    <adkim>s</adkim>
    <aspf>r</aspf>
    <p>none</p>
    <pct>100</pct>
  </policy_published>
  <record>
    <row>
      <source_ip>192.0.2.10</source_ip>
      <count>4</count>
      <policy_evaluated>
        <disposition>none</disposition>
        <dkim>fail</dkim>
        <spf>pass</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <header_from>example.com</header_from>
    </identifiers>
    <auth_results>
      <dkim>
        <domain>mail.example.com</domain>
        <result>pass</result>
      </dkim>
      <spf>
        <domain>example.com</domain>
        <result>pass</result>
      </spf>
    </auth_results>
  </record>
</feedback>
"""
write("yahoo.xml", YAHOO)

# Hand-made quirks: upper-case results and a prefix on every element, and one file holding
# two reports one after the other (each with its own prolog).
UPPER = """<?xml version="1.0" encoding="UTF-8"?>
<d:feedback xmlns:d="http://dmarc.org/dmarc-xml/0.1">
<d:report_metadata><d:org_name>Mail.Example</d:org_name><d:email>dmarc@mail.example</d:email><d:report_id>hm-upper-1</d:report_id>
<d:date_range><d:begin>1767225600</d:begin><d:end>1767311999</d:end></d:date_range></d:report_metadata>
<d:policy_published><d:domain>EXAMPLE.COM</d:domain><d:adkim/><d:aspf></d:aspf><d:p>NONE</d:p></d:policy_published>
<d:record><d:row><d:source_ip>192.0.2.10</d:source_ip><d:count>2</d:count>
<d:policy_evaluated><d:disposition>None</d:disposition><d:dkim>PASS</d:dkim><d:spf>Fail</d:spf></d:policy_evaluated></d:row>
<d:identifiers><d:header_from>Example.com</d:header_from></d:identifiers>
<d:auth_results><d:dkim><d:domain>Example.COM</d:domain><d:result>PASS</d:result></d:dkim><d:spf><d:domain>example.com</d:domain><d:result>SoftFail</d:result></d:spf></d:auth_results></d:record>
</d:feedback>
"""
write("upper-case-prefixed.xml", UPPER)
TWO = google("hm-two-1", GOOGLE_RECORDS[:1]) + "\n" + google("hm-two-2", GOOGLE_RECORDS[1:2], begin=1767312000)
write("two-reports-one-file.xml", TWO)

# Broken on purpose.
write("unclosed-tag.xml", GOOGLE.replace("</org_name>", "", 1))
write("truncated.xml.gz", gzip.compress(GOOGLE.encode(), mtime=0)[:200])
invalid = bytearray(GOOGLE.encode())
at = invalid.find(b"google.com</org_name>")
invalid[at] = 0xFF
write("invalid-utf8.xml", bytes(invalid))
write("not-a-report.xml", '<?xml version="1.0"?>\n<rss><channel><title>news</title></channel></rss>\n')
write("empty.xml", b"")

# A zip with two entries: a plain XML report and a gzip inside the zip.
write("two-entries.zip", zip_bytes([
    ("yahoo.xml", YAHOO.encode(), zipfile.ZIP_DEFLATED),
    ("outlook.xml.gz", gzip.compress(OUTLOOK.encode(), mtime=0), zipfile.ZIP_STORED),
]))
# A zip whose second entry is corrupt (its bytes flipped after writing): the first still counts.
good = zip_bytes([
    ("yahoo.xml", YAHOO.encode(), zipfile.ZIP_DEFLATED),
    ("broken.xml", GOOGLE.encode(), zipfile.ZIP_DEFLATED),
])
broken = bytearray(good)
second = broken.find(b"broken.xml") + len(b"broken.xml") + 40
for index in range(second, second + 16):
    broken[index] ^= 0x5A
write("bad-entry.zip", bytes(broken))

# SMTP TLS report (RFC 8460 §4.4), as JSON and gzip.
TLS = """{
  "organization-name": "Google Inc.",
  "date-range": {"start-datetime": "2026-01-01T00:00:00Z", "end-datetime": "2026-01-01T23:59:59Z"},
  "contact-info": "smtp-tls-reporting@google.com",
  "report-id": "2026-01-01T00:00:00Z_example.com",
  "policies": [
    {
      "policy": {
        "policy-type": "sts",
        "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800"],
        "policy-domain": "example.com",
        "mx-host": ["mx1.example.com", "mx2.example.com"]
      },
      "summary": {"total-successful-session-count": 950, "total-failure-session-count": 50},
      "failure-details": [
        {"result-type": "certificate-expired", "sending-mta-ip": "209.85.220.41",
         "receiving-mx-hostname": "mx2.example.com", "receiving-ip": "192.0.2.25", "failed-session-count": 40},
        {"result-type": "validation-failure", "sending-mta-ip": "209.85.220.69",
         "receiving-mx-hostname": "mx1.example.com", "failed-session-count": 10,
         "failure-reason-code": "hostname mismatch"}
      ]
    }
  ]
}
"""
write("tls-google.json", TLS)
write("tls-google.json.gz", gzip.compress(TLS.encode(), mtime=0))


def wrap(text):
    return "\n".join(text[i:i + 76] for i in range(0, len(text), 76))


# A report mail with the zipped report attached (base64), as Google and Yahoo send them.
zipped = zip_bytes([("google.com!example.com!1767225600!1767311999.xml", GOOGLE.encode(), zipfile.ZIP_DEFLATED)])
EML_ZIP = f"""Return-Path: <noreply-dmarc-support@google.com>
Received: from mail-sor-f69.google.com (mail-sor-f69.google.com [209.85.220.69])
\tby mx.example.com with ESMTPS; Fri, 2 Jan 2026 07:59:59 +0000
Date: Thu, 01 Jan 2026 23:59:59 -0800
From: noreply-dmarc-support@google.com
To: dmarc@example.com
Subject: Report domain: example.com Submitter: google.com Report-ID: hm-google-1
Message-ID: <hm-google-1@google.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 7bit

This is an aggregate report from google.com.

--000000000000a1b2c3
Content-Type: application/zip;
\tname="google.com!example.com!1767225600!1767311999.zip"
Content-Disposition: attachment;
\tfilename="google.com!example.com!1767225600!1767311999.zip"
Content-Transfer-Encoding: base64

{wrap(base64.b64encode(zipped).decode())}
--000000000000a1b2c3--
"""
write("google-zip-attached.eml", EML_ZIP.replace("\n", "\r\n"))

# A failure report (RFC 6591 §3 with RFC 7489 §7.3's fields), after the example of RFC 6591
# Appendix B.
ARF = """From: dmarc-failures@receiver.example
To: dmarc-ruf@example.com
Subject: FW: Earn money
Date: Fri, 02 Jan 2026 10:02:03 +0000
Message-ID: <hm-arf-1@receiver.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
    boundary="part1_13d.2e68ed54_boundary"

--part1_13d.2e68ed54_boundary
Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an authentication failure report for an email message received from IP
203.0.113.5 on Fri, 02 Jan 2026 10:01:57 +0000.

--part1_13d.2e68ed54_boundary
Content-Type: message/feedback-report

Feedback-Type: auth-failure
User-Agent: Someisp!Mail-Feedback/1.0
Version: 1
Original-Mail-From: <somespammer@spoofer.example>
Original-Rcpt-To: <user@receiver.example>
Arrival-Date: Fri, 02 Jan 2026 10:01:57 +0000
Source-IP: 203.0.113.5
Reported-Domain: example.com
Authentication-Results: receiver.example; dmarc=fail header.from=example.com; spf=fail smtp.mailfrom=spoofer.example
Auth-Failure: dmarc
Delivery-Result: reject
Identity-Alignment: none

--part1_13d.2e68ed54_boundary
Content-Type: text/rfc822-headers

From: <billing@example.com>
To: <user@receiver.example>
Subject: Earn money
Date: Fri, 02 Jan 2026 10:01:50 +0000
Message-ID: <8787KJKJ3K4J3K4J3K4J3.mail@spoofer.example>

--part1_13d.2e68ed54_boundary--
"""
write("failure-arf.eml", ARF)
