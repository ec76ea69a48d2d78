"""Common given names by the country whose officials bear them: evidence of a person's actor.

A small curated list (not data-driven): given names common among Iranian (Persian and
Arabic-Persian), Russian, Turkish, Azerbaijani and Armenian public figures, folded (lower
case, no diacritics). A name common to several of them ("Ali", "Hasan", "Ibrahim") is listed under
each, so it narrows the choice without deciding it. Names shared with Western usage ("Karen",
"David", "Anna", "Ruben") are left out: they say nothing.

:func:`given_name_actors` is read by :meth:`People.actor_by_form
<monitor.statements.persons.People.actor_by_form>`, where a given name outranks the surname's form
when the two disagree ("Hossein Amir-Abdollahian" is Iranian despite its -ian; "Andrei Rudenko"
is Russian in a passage that names Azerbaijan more often).
"""

from __future__ import annotations

from functools import lru_cache

from monitor.config import fold

_BY_ACTOR: dict[str, str] = {
    "IR": """abbas abdollah abolfazl akbar alireza amir asghar bagher bahram baqer behrouz dariush davoud ebrahim
        esmaeil esmail eshaq farhad fatemeh gholam gholamreza hadi hamid hamidreza hashem heshmatollah hojatollah
        hossein hosein jalil javad kamal kazem majid manouchehr mansour masoud masoumeh mehdi mohammad mohammadreza
        mohsen mojtaba morteza mostafa nasrollah nasser naser parviz peyman qasem ghasem reza ruhollah sadegh
        saeed seyed seyyed sayyid yahya zahra ali hassan ahmad ebrahim""",
    "RU": """aleksandr aleksei alexander alexei alexey anatoly andrei andrey anton arkady boris daria darya denis
        dmitri dmitriy dmitry ekaterina elena evgeny fyodor galina gennady georgy grigory igor irina ivan kirill
        konstantin leonid lyudmila matvei maxim maksim mikhail nadezhda natalia nikita nikolai nikolay oleg olga
        pavel pyotr semyon sergei sergey stanislav svetlana tatiana tatyana vadim valentin valentina valery
        vasily vassily viktor vitaly vladimir vsevolod vyacheslav yaroslav yekaterina yelena yevgeny yuri yury""",
    "TR": """ahmet binali bulent burak celal cevdet devlet egemen emine erdem ertugrul fahrettin fuat haluk hakan
        hulusi huseyin ibrahim kadir kemal mehmet mevlut murat mustafa numan nurettin omer oncu osman recep selcuk
        serdar sinan suleyman tanju tayyip ufuk umit volkan yasar zeki ali hasan hikmet""",
    "AZ": """adil agshin anar aykhan azer bahruz elchin elkhan elmar elmira elnur elshad elshan emin farid fariz
        fuad gunel hafiz heydar hikmet ilgar ilham javid jeyhun kamran khalaf mammad mehriban mubariz mukhtar
        natig nizami novruz ogtay orkhan ramil ramiz rashad rauf rovshan sahiba samir sevinj shahin tural ulvi
        vugar vusal yalchin zakir zaur ziyafat ali hasan ibrahim""",
    "AM": """ara arayik aram ararat armen armine arsen ashot davit edmon gevorg gohar grigor hayk hovhannes
        levon lilit mane mher narek nikol samvel sargis serzh tatevik tigran vahagn vahan vahe vardan zohrab""",
}
_ACTORS: dict[str, frozenset[str]] = {}
for _actor, _names in _BY_ACTOR.items():
    for _name in _names.split():
        _ACTORS[_name] = _ACTORS.get(_name, frozenset()) | {_actor}


@lru_cache(maxsize=4096)
def given_name_actors(word: str) -> frozenset[str]:
    """The actors among whose officials the given name ``word`` is common (empty: it says nothing)."""
    key = fold(word.rstrip(".,"))
    return _ACTORS.get(key) or _ACTORS.get(key.replace("-", ""), frozenset())
