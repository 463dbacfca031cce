from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Security

# ── FastAPI routes without the auth dependency their siblings use ─────────────────────────

api = FastAPI()
router = APIRouter(prefix="/orders")


def get_current_user(token: str = Depends(oauth2_scheme)):
    return token


def get_db():
    return None


@router.get("/")
def ok_list_orders(user=Depends(get_current_user), db=Depends(get_db)):
    return db.list_orders(user)


@router.get("/{order_id}")
def ok_get_order(order_id: int, user: Annotated[dict, Depends(get_current_user)]):
    return {"order": order_id, "user": user}


@router.delete("/{order_id}")
# ruleid: fastapi-route-missing-auth
def bad_delete_order(order_id: int, db=Depends(get_db)):
    return db.delete_order(order_id)


@router.put("/{order_id}")
# ruleid: fastapi-route-missing-auth
async def bad_update_order(order_id: int, body: dict):
    return body


@router.get("/health")
# ok: fastapi-route-missing-auth
def health():
    return {"ok": True}


@router.post("/token")
# ok: fastapi-route-missing-auth
def login_for_access_token(form: dict):
    return form


@router.get("/{order_id}/items", dependencies=[Depends(get_current_user)])
# ok: fastapi-route-missing-auth
def ok_router_dependency(order_id: int):
    return []


@router.get("/{order_id}/secure")
# ok: fastapi-route-missing-auth
def ok_security(order_id: int, user=Security(get_current_user, scopes=["orders"])):
    return user


secure_router = APIRouter(dependencies=[Depends(get_current_user)])


@secure_router.get("/me")
def ok_me(user=Depends(get_current_user)):
    return user


@secure_router.delete("/reports/{report_id}")
# The router adds the auth dependency to every route.
# ok: fastapi-route-missing-auth
def ok_router_wide_dependency(report_id: int):
    return report_id


@api.get("/products/{product_id}")
# No route of `api` uses an auth dependency: nothing to compare with.
# ok: fastapi-route-missing-auth
def ok_public_products(product_id: int, db=Depends(get_db)):
    return db.get_product(product_id)
