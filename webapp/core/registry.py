"""Every domain's tables on one metadata: imported by the app, the migrations (Alembic's
autogenerate compares against it) and anything that creates tables. A new domain adds its
models module here."""

from sqlmodel import SQLModel

from webapp.accounts import models as accounts_models
from webapp.core import models as core_models
from webapp.core.media import models as media_models
from webapp.directory import models as directory_models
from webapp.engagements import models as engagements_models
from webapp.matching import models as matching_models
from webapp.outcomes import models as outcomes_models
from webapp.programs import application_models, evaluation_models, inspection_models
from webapp.programs import models as programs_models
from webapp.visits import models as visits_models

DOMAIN_MODELS = (
    core_models,
    accounts_models,
    directory_models,
    matching_models,
    visits_models,
    programs_models,
    application_models,
    inspection_models,
    evaluation_models,
    engagements_models,
    media_models,
    outcomes_models,
)
metadata = SQLModel.metadata
