"""Top-level URLs: sign-in and sign-out, the Django admin, and the review app."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from gbo.review.forms import SignInForm

admin.site.site_header = "gbo review: administration"
admin.site.site_title = "gbo review"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="review/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("gbo.review.urls")),
]
