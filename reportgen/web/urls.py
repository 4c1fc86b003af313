"""The service's addresses. Every one is listed in the permission test's table."""

from axes.decorators import axes_dispatch
from django.contrib.auth import views as auth
from django.urls import path

from reportgen.web import (
    agendas,
    clearing,
    datafiles,
    editor,
    paper_settings,
    people,
    publishing,
    starting,
    views,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("static/web/<str:file>", views.static, name="static"),
    # A locked-out sign-in is refused before the form is read: no password hashed, nothing
    # written (the lock-out itself is audited once, in throttle.py).
    path(
        "login/",
        axes_dispatch(auth.LoginView.as_view(template_name="web/login.html")),
        name="login",
    ),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("papers/", views.papers, name="papers"),
    path("papers/new", starting.new_paper, name="paper_new"),
    path("papers/<slug:name>/", editor.paper, name="paper"),
    path("papers/<slug:name>/check", editor.check, name="check"),
    path("papers/<slug:name>/save", editor.save, name="save"),
    path("papers/<slug:name>/discard", editor.discard, name="discard"),
    path("papers/<slug:name>/raw", editor.raw, name="raw"),
    path("papers/<slug:name>/preview", editor.preview, name="preview"),
    path("papers/<slug:name>/pages", views.pages, name="pages"),
    path("papers/<slug:name>/pages/<str:job>", views.pages_status, name="pages_status"),
    path("papers/<slug:name>/pages/<str:job>/<int:number>.jpg", views.page_image, name="page"),
    path("papers/<slug:name>/download.<str:kind>", views.download, name="download"),
    path("papers/<slug:name>/versions/", editor.versions, name="versions"),
    path("papers/<slug:name>/versions/<int:number>/", editor.version, name="version"),
    path("papers/<slug:name>/versions/<int:number>/restore", editor.restore, name="restore"),
    path("papers/<slug:name>/diff", editor.diff, name="diff"),
    path("papers/<slug:name>/clearance", clearing.clearance, name="clearance"),
    path("papers/<slug:name>/settings", paper_settings.settings, name="paper_settings"),
    path("clearance/", clearing.waiting, name="clearance_list"),
    path("data/", datafiles.data, name="data"),
    path("meetings/", agendas.meeting_list, name="meetings"),
    path("meetings/new", agendas.meeting, name="meeting_new"),
    path("meetings/<slug:name>/", agendas.meeting, name="meeting"),
    path("meetings/<slug:name>/supplied", agendas.supplied, name="supplied"),
    path("meetings/<slug:name>/pack", agendas.pack, name="pack"),
    path("meetings/<slug:name>/pack/<str:job>", agendas.pack_status, name="pack_status"),
    path("meetings/<slug:name>/packs/<str:file>", agendas.pack_file, name="pack_file"),
    path("meetings/<slug:name>/publish", agendas.publish, name="publish"),
    path("committees/", publishing.committees, name="committees"),
    path("committees/<slug:committee>/", publishing.committee, name="committee"),
    path(
        "committees/<slug:committee>/<slug:meeting>/<str:file>",
        publishing.public_file,
        name="public_file",
    ),
    path("audit/", views.audit, name="audit"),
    path("users/", people.users, name="users"),
    path("data/files/<str:file>", datafiles.data_file, name="data_file"),
    path("data/files/<str:file>/versions/", datafiles.data_versions, name="data_versions"),
    path("data/files/<str:file>/delete", datafiles.data_delete, name="data_delete"),
    path(
        "data/files/<str:file>/versions/<int:number>", datafiles.data_version, name="data_version"
    ),
    path(
        "data/files/<str:file>/versions/<int:number>/restore",
        datafiles.data_restore,
        name="data_restore",
    ),
]
urlpatterns += [
    path("users/<str:name>/", people.user, name="user"),
    path("password/", people.password, name="password"),
]
