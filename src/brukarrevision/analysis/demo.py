"""Demo analysis for the audit `demo`: a codebook in themes, two auditors who coded the same
ten answers independently (agreeing on most, not all), quotes marked for the report, and
findings tied to results and passages."""

from brukarrevision.instruments import selectors as instrument_selectors

from . import services

CODEBOOK = [
    # name, theme, description, quality areas, words that make an auditor choose it
    ("Lyssnar och respekterar", "Bemötande", "Personalen lyssnar, är snäll och visar respekt.",
     ["treatment"], ["lyssnar", "snäll", "hjälper"]),
    ("Samma personal", "Kontinuitet", "Att det är samma personal som kommer.",
     ["support"], ["samma personal", "vem som ska komma"]),
    ("Svårt att nå", "Tillgänglighet", "Svårt att få tag på personal eller kontaktperson.",
     ["support", "information"], ["svårt att få tag", "kvällar"]),
    ("Delaktig i planen", "Delaktighet", "Att vara med när planen och målen görs.",
     ["goals", "user_influence"], ["planen", "målen"]),
    ("Information i tid", "Information", "Information om rättigheter och ändringar kommer i tid.",
     ["information"], ["information", "sent"]),
    ("Meningsfull vardag", "Stöd i vardagen", "Stödet ger något att se fram emot.",
     ["support"], ["bästa i veckan", "tid med"]),
]  # fmt: skip

# Where the second auditor judged differently, so that agreement is high but not total.
SECOND_AUDITOR_ALSO = {
    "Ibland vet jag inte vem": "Svårt att nå",
    "Informationen kom": "Delaktig i planen",
}
SECOND_AUDITOR_NOT = {"Jag pratar mest med Anna": "Lyssnar och respekterar"}
QUOTES = ["Träffpunkten är det bästa i veckan.", "Jag vill ha mer tid med min kontaktperson."]


def load(audit, first, second) -> None:
    codes = {
        name: services.save_code(
            user=first, audit=audit, name=name, theme=theme, description=text, quality_areas=areas
        )
        for name, theme, text, areas, _words in CODEBOOK
    }
    material = list(services.material(audit)[:10])
    for answer in material:
        _code_as(first, answer, codes, also={}, skip={})
        _code_as(second, answer, codes, also=SECOND_AUDITOR_ALSO, skip=SECOND_AUDITOR_NOT)
    _findings(audit, first, codes)


def _code_as(coder, answer, codes, also, skip) -> None:
    for name, _theme, _text, _areas, words in CODEBOOK:
        chosen = any(word.lower() in answer.text.lower() for word in words)
        chosen = chosen or any(
            start in answer.text and code == name for start, code in also.items()
        )
        if any(start in answer.text and code == name for start, code in skip.items()):
            chosen = False
        if chosen:
            quote = next((q for q in QUOTES if q in answer.text), "")
            services.code_passage(
                user=coder, answer=answer, code=codes[name], passage=quote, is_quote=bool(quote)
            )


def _findings(audit, user, codes) -> None:
    questionnaire = instrument_selectors.questionnaires(audit).get()
    items = {item.code: item for item in questionnaire.all_items()}
    quotes = [c for code in codes.values() for c in code.codings.filter(is_quote=True, coder=user)]
    services.save_finding(
        user=user,
        audit=audit,
        kind="good_example",
        title="Personalen lyssnar och bemöter med respekt",
        text="De flesta som svarat upplever att personalen lyssnar och visar respekt. "
        "Många nämner enskilda i personalen som betyder mycket.",
        quality_areas=["treatment"],
        items=[i for i in items.values() if i.quality_area == "treatment"][:2],
        codings=list(codes["Lyssnar och respekterar"].codings.filter(coder=user)),
    )
    services.save_finding(
        user=user,
        audit=audit,
        kind="good_example",
        title="Träffpunkten ger en meningsfull vardag",
        text="Flera beskriver träffpunkten som det bästa i veckan.",
        quality_areas=["support"],
        codings=quotes,
    )
    services.save_finding(
        user=user,
        audit=audit,
        kind="improvement",
        title="Svårt att nå personalen kvällar och helger",
        text="Flera säger att det är svårt att få tag på någon utanför kontorstid och att de "
        "inte alltid vet vem som kommer.",
        quality_areas=["support", "information"],
        codings=list(codes["Svårt att nå"].codings.filter(coder=user)),
    )
    services.save_finding(
        user=user,
        audit=audit,
        kind="improvement",
        title="Brukarna vill vara med när planen görs",
        text="Många vill vara mer delaktiga när genomförandeplanen och målen skrivs.",
        quality_areas=["goals", "user_influence"],
        items=[items["plan"]] if "plan" in items else [],
        codings=list(codes["Delaktig i planen"].codings.filter(coder=user)),
    )
