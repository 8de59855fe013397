"""The accessibility check every browser test runs on the pages it visits."""


def assert_accessible(page, name, artifacts):
    """axe-core finds no serious or critical violation on the page; a full-page screenshot is kept as
    test-artifacts/NAME.png either way."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    described = [
        f"{v['id']}: {v['help']} {[(n['target'], n['failureSummary']) for n in v['nodes']]}" for v in bad
    ]
    assert not bad, f"{name}: " + "; ".join(described)
