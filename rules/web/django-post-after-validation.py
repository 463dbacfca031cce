from django.shortcuts import redirect, render
from django.views import View

from .forms import EmailForm, ProfileForm


def bad_subscript(request):
    form = EmailForm(request.POST)
    if form.is_valid():
        # ruleid: django-post-after-validation
        request.user.email = request.POST["email"]
        request.user.save()
    return redirect("home")


def bad_get(request):
    form = ProfileForm(data=request.POST)
    if not form.is_valid():
        return render(request, "profile.html", {"form": form})
    # ruleid: django-post-after-validation
    nickname = request.POST.get("nickname", "")
    request.user.profile.nickname = nickname
    return redirect("home")


def bad_multiline(request):
    profile_form = ProfileForm(request.POST)
    if profile_form.is_valid():
        save_bio(
            request.user,
            # ruleid: django-post-after-validation
            request.POST.get(
                "bio",
            ),
        )
    return redirect("home")


class EmailView(View):
    def post(self, request):
        form = EmailForm(request.POST)
        if form.is_valid():
            # ruleid: django-post-after-validation
            send_confirmation(self.request.POST["email"])
        return redirect("home")


def ok_cleaned_data(request):
    form = EmailForm(request.POST)
    if form.is_valid():
        # ok: django-post-after-validation
        request.user.email = form.cleaned_data["email"]
    return redirect("home")


def ok_read_before_validation(request):
    # ok: django-post-after-validation
    action = request.POST.get("action")
    form = EmailForm(request.POST)
    if form.is_valid() and action == "save":
        form.save()
    return redirect("home")


def ok_no_validation(request):
    # ok: django-post-after-validation
    return render(request, "echo.html", {"q": request.POST.get("q")})


def ok_other_function(request):
    # ok: django-post-after-validation
    return request.POST["email"]


def ok_get_after_validation(request):
    form = EmailForm(request.POST)
    if form.is_valid():
        # ok: django-post-after-validation
        page = request.GET.get("page")
        return redirect(page)
    return redirect("home")


def ok_same_line(request):
    form = EmailForm(request.POST)
    # ok: django-post-after-validation
    if form.is_valid() and request.POST.get("confirm"):
        form.save()
    return redirect("home")
