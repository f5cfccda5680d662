#!/usr/bin/python3
"""browser.py OUTDIR ORIGIN NAME|URL|TEXT[|FILE]... - open each URL in headless Chromium
(chromium-driver, python3-selenium from Debian) and check what a citizen sees; with
FILE, upload it through the page's form and check the result page instead.

Per page: the visible text holds TEXT, lang="id" and one h1, the style sheet applied (the status box has a
background), the browser console has no error, and every request the page made went
to ORIGIN (no foreign requests); a screenshot is saved as OUTDIR/NAME.png.  Then
the form: the first page's ID typed into the form on ORIGIN's path leads to that
page, without JavaScript.  One line per check on stdout: "0 what" (held) or "1 what".
Exit 2 when the browser cannot be started (the caller skips).
"""
import json
import os
import sys
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def start():
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=900,1300",
              "--no-first-run", "--disable-background-networking", "--disable-sync",
              "--disable-component-update", "--disable-default-apps", "--disable-dev-shm-usage"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def requests_made(drv):
    urls = []
    for e in drv.get_log("performance"):
        m = json.loads(e["message"])["message"]
        if m.get("method") == "Network.requestWillBeSent":
            urls.append(m["params"]["request"]["url"])
    return urls


def say(good, what):
    print("%d %s" % (0 if good else 1, what), flush=True)


def page(drv, out, origin, name, url, text, upload=None):
    drv.get_log("browser")
    drv.get_log("performance")
    drv.get(url)
    if upload:
        drv.find_element(By.ID, "berkas").send_keys(os.path.abspath(upload))
        drv.find_element(By.CSS_SELECTOR, "form[method=post] button[type=submit]").click()
        try:
            WebDriverWait(drv, 30).until(lambda d: "Hasil pemeriksaan" in d.title)
        except TimeoutException:
            pass
    body = drv.find_element(By.TAG_NAME, "body").text
    say(text in body, "%s: the page shows %r" % (name, text))
    lang = drv.find_element(By.TAG_NAME, "html").get_attribute("lang")
    h1 = drv.find_elements(By.TAG_NAME, "h1")
    say(lang == "id" and len(h1) == 1, "%s: lang=\"id\", one h1" % name)
    bg = drv.find_element(By.CSS_SELECTOR, "section.status").value_of_css_property("background-color")
    say(bg not in ("rgba(0, 0, 0, 0)", "transparent"), "%s: the style sheet applies (status box %s)" % (name, bg))
    # the page's own 404 (an unknown ID) is its status, not an error in the page
    errors = [e["message"] for e in drv.get_log("browser") if e["level"] == "SEVERE" and
              not (e.get("source") == "network" and e["message"].startswith(url + " "))]
    say(not errors, "%s: no console errors %s" % (name, errors[:2] if errors else ""))
    foreign = [u for u in requests_made(drv) if not u.startswith(origin)]
    say(not foreign, "%s: no request outside %s %s" % (name, origin, foreign[:2] if foreign else ""))
    drv.save_screenshot(os.path.join(out, name + ".png"))


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    out, origin, cases = argv[1], argv[2], [a.split("|", 3) for a in argv[3:]]
    try:
        drv = start()
    except Exception as e:  # no Chromium, no driver: the caller skips
        print("cannot start Chromium: %s" % str(e).splitlines()[0], file=sys.stderr)
        sys.exit(2)
    try:
        for case in cases:
            page(drv, out, origin, *case)
        # the form: type the first page's ID as printed (lower case, dashes), no script
        first = urllib.parse.urlsplit(cases[0][1])
        path, ident = first.path.rsplit("/", 1)
        drv.get("%s://%s%s/" % (first.scheme, first.netloc, path))
        box = drv.find_element(By.ID, "id")
        box.send_keys("-".join(ident[i:i + 4] for i in range(0, 16, 4)).lower())
        drv.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        try:
            WebDriverWait(drv, 10).until(lambda d: d.current_url == cases[0][1] and
                                         cases[0][2] in d.find_element(By.TAG_NAME, "body").text)
            arrived = True
        except TimeoutException:
            arrived = False
        say(arrived, "the form: an ID typed as printed leads to its page (%s)" % drv.current_url)
        drv.save_screenshot(os.path.join(out, "form-result.png"))
    finally:
        drv.quit()


if __name__ == "__main__":
    main(sys.argv)
