"""The Close API calls closetui makes, typed: a mixin of :class:`~.client.CloseClient`.

The client (``client.py``) builds, sends, retries and records requests; these are the
endpoints on top of it. The models (pydantic) load on a model's first use.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from closetui.api.errors import NotFound, UnreadableAnswer
from closetui.api.ids import opportunity_path
from closetui.api.pages import DictPage
from closetui.api.query import OpportunityQuery

if TYPE_CHECKING:
    import httpx
    from pydantic import BaseModel

    from closetui.api.exchange import Exchange, OnExchange
    from closetui.api.models import (
        CustomField,
        Me,
        Opportunity,
        OpportunityPage,
        OpportunityStatus,
        Pipeline,
        User,
    )

M = TypeVar("M", bound="BaseModel")


class CloseCalls:
    """Typed endpoints over the transport :class:`~.client.CloseClient` provides."""

    if TYPE_CHECKING:  # the transport, from CloseClient

        async def _get(self, path: str, params: Mapping[str, str] | None = None) -> Any: ...

        async def send(
            self, request: httpx.Request, *, on_exchange: OnExchange | None = None
        ) -> Any: ...

        def build_update_request(
            self, opportunity_id: str, body: Mapping[str, Any]
        ) -> httpx.Request: ...

    async def _get_model(
        self, model: type[M], path: str, params: Mapping[str, str] | None = None
    ) -> M:
        return _validated(model, await self._get(path, params))

    async def _get_page(self, path: str, params: Mapping[str, str] | None = None) -> DictPage:
        data = await self._get(path, params)
        try:
            return DictPage.from_json(data)
        except ValueError:
            raise UnreadableAnswer(200, data, "a page of results") from None

    async def _get_all(self, model: type[M], path: str, page_size: int = 100) -> list[M]:
        """Every item of a paginated list endpoint."""
        items: list[M] = []
        while True:
            params = {"_skip": str(len(items)), "_limit": str(page_size)}
            page = await self._get_page(path, params)
            items += [_validated(model, raw) for raw in page.data]
            if not page.has_more or not page.data:
                return items

    async def me(self) -> Me:
        """The user behind the credential, with organizations and memberships."""
        from closetui.api.models import Me

        return await self._get_model(Me, "me/")

    async def list_opportunities(
        self, query: OpportunityQuery | None = None, *, skip: int = 0, limit: int = 100
    ) -> OpportunityPage:
        """One page of opportunities, with Close's aggregates over every match."""
        from closetui.api.models import OpportunityPage

        params = {
            **(query or OpportunityQuery()).params(),
            "_skip": str(skip),
            "_limit": str(limit),
        }
        return await self._get_model(OpportunityPage, "opportunity/", params)

    async def list_opportunity_fields(
        self,
        fields: list[str],
        query: OpportunityQuery | None = None,
        *,
        skip: int = 0,
        limit: int = 100,
    ) -> DictPage:
        """One page with only ``fields`` of each opportunity (``_fields``), as dicts."""
        params = {
            **(query or OpportunityQuery()).params(),
            "_fields": ",".join(fields),
            "_skip": str(skip),
            "_limit": str(limit),
        }
        return await self._get_page("opportunity/", params)

    async def iter_opportunities(
        self, query: OpportunityQuery | None = None, *, page_size: int = 100
    ) -> AsyncIterator[Opportunity]:
        """Every matching opportunity, page by page (``_skip`` advances by items seen)."""
        skip = 0
        while True:
            page = await self.list_opportunities(query, skip=skip, limit=page_size)
            for opportunity in page.data:
                yield opportunity
            skip += len(page.data)
            if not page.has_more or not page.data:
                return

    async def get_opportunity(self, opportunity_id: str) -> Opportunity:
        """One opportunity by id."""
        from closetui.api.models import Opportunity

        return await self._get_model(Opportunity, opportunity_path(opportunity_id))

    async def send_update(
        self, request: httpx.Request, *, on_exchange: OnExchange | None = None
    ) -> Opportunity:
        """Send a request from :meth:`build_update_request`; the updated opportunity.

        ``on_exchange`` sees this call's exchanges (e.g. to keep the last in history).
        A 2xx that is not an opportunity raises :class:`UnreadableAnswer` (the update
        may have been applied: see :mod:`closetui.api.outcome`).
        """
        import pydantic

        from closetui.api.models import Opportunity

        seen: list[Exchange] = []

        def keep(exchange: Exchange) -> None:
            seen.append(exchange)
            if on_exchange is not None:
                on_exchange(exchange)

        data = await self.send(request, on_exchange=keep)
        try:
            return Opportunity.model_validate(data)
        except pydantic.ValidationError:
            status = (seen[-1].status if seen else None) or 200
            raise UnreadableAnswer(status, data, "an opportunity") from None

    async def update_opportunity(self, opportunity_id: str, body: Mapping[str, Any]) -> Opportunity:
        """Build and send an update in one step."""
        return await self.send_update(self.build_update_request(opportunity_id, body))

    async def list_pipelines(self) -> list[Pipeline]:
        """Every pipeline with its statuses in display order."""
        from closetui.api.models import Pipeline

        pipelines = await self._get_all(Pipeline, "pipeline/")
        for pipeline in pipelines:
            for status in pipeline.statuses:
                status.pipeline_id = status.pipeline_id or pipeline.id
        return pipelines

    async def list_statuses(self) -> list[OpportunityStatus]:
        """Every opportunity status of the organization."""
        from closetui.api.models import OpportunityStatus

        return await self._get_all(OpportunityStatus, "status/opportunity/")

    async def list_users(self) -> list[User]:
        """Every user who shares an organization with the caller."""
        from closetui.api.models import User

        return await self._get_all(User, "user/")

    async def custom_fields(self) -> list[CustomField]:
        """Every custom field valid on opportunities, regular and shared, in UI order.

        Uses ``/custom_field_schema/opportunity/``; where a server lacks it (404), falls
        back to ``/custom_field/opportunity/`` plus the shared fields associated with
        opportunities.
        """
        from closetui.api.models import CustomField, CustomFieldSchema

        try:
            return (
                await self._get_model(CustomFieldSchema, "custom_field_schema/opportunity/")
            ).fields
        except NotFound:
            pass
        regular = await self._get_all(CustomField, "custom_field/opportunity/")
        shared = await self._get_all(CustomField, "custom_field/shared/")
        for field in shared:
            field.is_shared = True
        return regular + [
            f for f in shared if any(a.object_type == "opportunity" for a in f.associations or [])
        ]


def _validated(model: type[M], data: Any) -> M:
    """``data`` as a ``model``; a 2xx answer of another shape is an :class:`UnreadableAnswer`
    (a proxy's page, a cut-off body), never a pydantic traceback."""
    import pydantic

    try:
        return model.model_validate(data)
    except pydantic.ValidationError:
        raise UnreadableAnswer(200, data, f"a valid {model.__name__} object") from None
