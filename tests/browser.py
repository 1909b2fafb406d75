"""Real Chromium for page tests: the system's /usr/bin/chromium driven by Playwright (never a downloaded one)."""
from __future__ import annotations

from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
]
# WeChat's in-app browser on an Android phone, as the hall's phones send it.
WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560 "
    "WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)


@contextmanager
def chromium():
    """A headless Chromium for the length of the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def phone_page(browser, **kwargs):
    """A 360×780 phone page in WeChat; page errors are collected in `page.errors`."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, user_agent=WECHAT_UA, is_mobile=True,
                                  has_touch=True, locale="zh-CN", **kwargs)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page
