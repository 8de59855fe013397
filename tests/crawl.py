"""Following links through the site as a visitor would, and noting what each page loads."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


class PageParser(HTMLParser):
    """Collects the links a person can follow and the addresses a browser would load."""

    LOADING_ATTRIBUTES = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "audio": "src",
        "video": "src",
        "embed": "src",
        "object": "data",
        "link": "href",
    }

    def __init__(self):
        super().__init__()
        self.links, self.loads = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in self.LOADING_ATTRIBUTES and attrs.get(self.LOADING_ATTRIBUTES[tag]):
            self.loads.append(attrs[self.LOADING_ATTRIBUTES[tag]])
        if attrs.get("srcset"):
            self.loads.extend(part.split()[0] for part in attrs["srcset"].split(","))
        if "url(" in attrs.get("style", ""):
            self.loads.append(attrs["style"])


def parse(response):
    parser = PageParser()
    parser.html = response.content.decode()
    parser.feed(parser.html)
    return parser


def crawl(client, start="/", limit=200):
    """Every HTML page reachable by following links on this site, with its parsed content."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = parse(response)
        pages[url] = page
        for href in page.links:
            target = urlsplit(urljoin(url, href))
            skip = target.netloc or target.path.startswith(("/static/", "/admin/")) or "logout" in target.path
            if not skip:
                queue.append(target.path)
    return pages


def assert_loads_only_from_this_site(url, page):
    for address in page.loads:
        assert "//" not in address, f"{url} loads {address} from another host"
