"""Persistent-innovation index of a patent count (section ``[innovation]``)."""

from ..config import OPTIONS_KEY, REQUIRED, STR, Key
from ..step import Step
from ..tools.indices import PersistentInnovation

TOOL = PersistentInnovation()


class Innovation(Step):
    name = "innovation"
    title = "persistent innovation"
    order = 10
    lead_in = True  # its first two years are the index's lead-in, cut after it runs
    tools = (TOOL.id,)
    adds = "`CONINNOV`, `CONINNOV_STATUS`"
    keys = (
        Key("patent_field", STR, REQUIRED, "Patent count field; adds `CONINNOV` "
            "(Coninnov_t = (p_t + p_t-1) / (p_t-1 + p_t-2) * (p_t + p_t-1))."),
        OPTIONS_KEY,
    )

    def run(self, context, piece):
        section = context.study["innovation"]
        out = context.add_fields(TOOL, "innovation", {**context.common, "PATENT_FIELD": section["patent_field"]},
                                 self.title, section.get("options"))
        context.result.methods["results"] = ("Coninnov_t = (p_t + p_t−1)/(p_t−1 + p_t−2)·(p_t + p_t−1) "
                                             f"from {section['patent_field']}")
        return ""

    def report(self, result):
        return None


STEP = Innovation()
