from django.contrib.auth.models import User
from flask import request as flask_request
from rest_framework import serializers
from rest_framework.serializers import ModelSerializer as BaseModelSerializer

from .models import Order, Profile

ALLOWED_FIELDS = ("first_name", "last_name")


def bad_model_post(request):
    # ruleid: mass-assignment
    user = User(**request.POST)
    user.save()


def bad_objects_create(request):
    # ruleid: mass-assignment
    return Order.objects.create(**request.data)


def bad_create_dict(request):
    # ruleid: mass-assignment
    return Order.objects.create(**request.POST.dict(), owner=request.user)


def bad_get_params(request):
    # ruleid: mass-assignment
    return Profile.objects.update_or_create(**request.GET)


def bad_flask_json():
    # ruleid: mass-assignment
    order = Order(**flask_request.json)
    return order


def bad_flask_get_json():
    payload = flask_request.get_json()
    # ruleid: mass-assignment
    Order.query.filter_by(id=1).update(**payload)


def bad_queryset_update(request, pk):
    # ruleid: mass-assignment
    Order.objects.filter(pk=pk).update(
        **request.data,
    )


def bad_setattr_loop(request, obj):
    for key, value in request.POST.items():
        # ruleid: mass-assignment
        setattr(obj, key, value)
    obj.save()


def bad_setattr_key(request, obj):
    field = request.GET["field"]
    # ruleid: mass-assignment
    setattr(obj, field, request.GET["value"])


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        # ruleid: mass-assignment
        fields = "__all__"


class ProfileSerializer(BaseModelSerializer):
    class Meta:
        model = Profile
        # ruleid: mass-assignment
        fields = '__all__'


def ok_cleaned_data(request, form):
    # ok: mass-assignment
    return User.objects.create(**form.cleaned_data)


def ok_validated_data(serializer):
    # ok: mass-assignment
    return Order.objects.create(**serializer.validated_data)


def ok_allowlist_comprehension(request):
    data = {k: v for k, v in request.POST.items() if k in ALLOWED_FIELDS}
    # ok: mass-assignment
    return Profile.objects.create(**data)


def ok_setattr_constant_key(request, obj):
    # ok: mass-assignment
    setattr(obj, "first_name", request.POST["first_name"])


def ok_setattr_allowlist(request, obj):
    for key in ALLOWED_FIELDS:
        # ok: mass-assignment
        setattr(obj, key, request.POST[key])


def ok_filter_not_write(request, render):
    # ok: mass-assignment
    rows = Order.objects.filter(**request.GET)
    # ok: mass-assignment
    return render(request, "orders.html", **{"rows": rows})


def ok_form(request, OrderForm):
    # ok: mass-assignment
    return OrderForm(**request.POST)


class OrderListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        # ok: mass-assignment
        fields = ["id", "total"]


class PlainSerializer(serializers.Serializer):
    class Meta:
        # ok: mass-assignment
        fields = "__all__"
