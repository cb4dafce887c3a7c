"""The standalone server driven by boto3 through every operation the emulator implements, with
the modelled errors and pagination (run by local/test/server/python.test.ts, which starts the
server and sets CUSTOMER_PROFILES_ENDPOINT; the same scenario as server-sdk.test.ts)."""
import json
import os
import urllib.request

import boto3
import pytest
from botocore.config import Config

ENDPOINT = os.environ["CUSTOMER_PROFILES_ENDPOINT"]
D = "storefront"


def admin(method, route, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"{ENDPOINT}/_emulator{route}", data=data, method=method)
    with urllib.request.urlopen(req) as res:
        return json.load(res)


@pytest.fixture(scope="module")
def client():
    c = boto3.client(
        "customer-profiles", endpoint_url=ENDPOINT, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),  # no retries: errors arrive as they are
    )
    admin("POST", "/reset")
    return c


def test_domains_pagination_and_errors(client):
    assert "popular-items" in [r["name"] for r in client.list_recommender_recipes()["RecommenderRecipes"]]
    for name in (D, "other-a", "other-b"):
        client.create_domain(DomainName=name, DefaultExpirationDays=30, DataStore={"Enabled": name == D})
    with pytest.raises(client.exceptions.BadRequestException, match="already exists"):
        client.create_domain(DomainName=D, DefaultExpirationDays=30)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_domain(DomainName="missing")
    names, token, pages = [], None, 0
    while True:
        page = client.list_domains(MaxResults=2, **({"NextToken": token} if token else {}))
        names += [i["DomainName"] for i in page["Items"]]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert (sorted(names), pages) == (["other-a", "other-b", D], 2)
    assert client.update_domain(DomainName=D, DefaultExpirationDays=60)["DefaultExpirationDays"] == 60
    assert client.get_domain(DomainName=D)["DataStore"]["Enabled"] is True
    with pytest.raises(client.exceptions.BadRequestException, match="data store must be enabled"):
        client.put_domain_object_type(DomainName="other-a", ObjectTypeName="X", Description="x",
                                      Fields={"A": {"Source": "_source.A", "Target": "_profile.AccountNumber"}})


def test_object_types_profile_objects_and_tags(client):
    fields = {"CustomerId": {"Source": "_source.CustomerId", "Target": "_profile.AccountNumber", "ContentType": "STRING"},
              "Tier": {"Source": "_source.Tier", "Target": "_profile.Attributes.tier"},
              "LifetimeValue": {"Source": "_source.LifetimeValue", "Target": "_profile.Attributes.lifetime_value", "ContentType": "NUMBER"}}
    client.put_domain_object_type(DomainName=D, ObjectTypeName="Customers", Description="c", Fields=fields)
    assert client.get_domain_object_type(DomainName=D, ObjectTypeName="Customers")["Fields"]["Tier"]["Target"] == "_profile.Attributes.tier"
    loaded = admin("POST", "/sample-data", {"domainName": D})  # adds Products and WebEvents, keeps Customers
    assert loaded["createdObjectTypes"] == ["Products", "WebEvents"]
    first = client.list_domain_object_types(DomainName=D, MaxResults=2)
    rest = client.list_domain_object_types(DomainName=D, NextToken=first["NextToken"])
    assert [i["ObjectTypeName"] for i in first["Items"] + rest["Items"]] == ["Customers", "Products", "WebEvents"]
    client.put_profile_object(DomainName=D, ObjectTypeName="Customers", Object=json.dumps({"CustomerId": "C999", "Tier": "gold"}))
    with pytest.raises(client.exceptions.BadRequestException, match="not valid JSON"):
        client.put_profile_object(DomainName=D, ObjectTypeName="Customers", Object="{not json")
    found = client.search_profiles(DomainName=D, KeyName="_account", Values=["C001", "C999"], MaxResults=1)
    more = client.search_profiles(DomainName=D, KeyName="_account", Values=["C001", "C999"], NextToken=found["NextToken"])
    assert sorted(p["AccountNumber"] for p in found["Items"] + more["Items"]) == ["C001", "C999"]
    values = client.list_object_type_attribute_values(DomainName=D, ObjectTypeName="Customers", AttributeName="Tier")
    assert sorted(i["Value"] for i in values["Items"]) == ["bronze", "gold", "silver"]
    stats = client.get_object_type_attribute_statistics(DomainName=D, ObjectTypeName="Customers", AttributeName="LifetimeValue")
    assert stats["Statistics"]["Minimum"] >= 100
    arn = f"arn:aws:profile:us-east-1:123456789012:domains/{D}"
    client.tag_resource(resourceArn=arn, tags={"team": "web", "env": "test"})
    client.untag_resource(resourceArn=arn, tagKeys=["env"])
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "web"}


def profile_id(client, account):
    return client.search_profiles(DomainName=D, KeyName="_account", Values=[account])["Items"][0]["ProfileId"]


def test_recommender_trains_on_the_clock(client):
    rec = {"DomainName": D, "RecommenderName": "ForYou"}
    client.create_recommender(**rec, RecommenderRecipeName="recommended-for-you",
                              RecommenderConfig={"EventsConfig": {"EventParametersList": [{"EventType": "purchase", "EventWeight": 1}]}})
    assert client.get_recommender(**rec)["Status"] == "PENDING"
    with pytest.raises(client.exceptions.BadRequestException, match="is not ACTIVE"):
        client.get_profile_recommendations(**rec, ProfileId=profile_id(client, "C001"))
    admin("POST", "/clock/advance", {"seconds": 1800})
    assert [(r["RecommenderName"], r["Status"]) for r in client.list_recommenders(DomainName=D)["Recommenders"]] == [("ForYou", "ACTIVE")]
    assert len(client.get_profile_recommendations(**rec, ProfileId=profile_id(client, "C001"), MaxResults=3)["Recommendations"]) == 3
    client.stop_recommender(**rec)
    admin("POST", "/clock/advance", {"seconds": 120})
    with pytest.raises(client.exceptions.BadRequestException):
        client.stop_recommender(**rec)
    client.start_recommender(**rec)
    admin("POST", "/clock/advance", {"seconds": 300})
    client.update_recommender(**rec, Description="purchases")
    admin("POST", "/clock/advance", {"seconds": 600})
    got = client.get_recommender(**rec)
    assert (got["Status"], got["Description"]) == ("ACTIVE", "purchases")


def test_segments(client):
    sql = "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'"
    with pytest.raises(client.exceptions.BadRequestException, match="is not valid SQL"):
        client.create_segment_definition(DomainName=D, SegmentDefinitionName="Bad", DisplayName="Bad", SegmentSqlQuery="SELEC * FROM")
    client.create_segment_definition(DomainName=D, SegmentDefinitionName="Gold", DisplayName="Gold", SegmentSqlQuery=sql)
    assert client.get_segment_definition(DomainName=D, SegmentDefinitionName="Gold")["SegmentSqlQuery"] == sql
    assert [i["SegmentDefinitionName"] for i in client.list_segment_definitions(DomainName=D)["Items"]] == ["Gold"]
    estimate = client.create_segment_estimate(DomainName=D, SegmentSqlQuery=sql)
    assert client.get_segment_estimate(DomainName=D, EstimateId=estimate["EstimateId"])["Status"] == "RUNNING"
    admin("POST", "/clock/advance", {"seconds": 5})
    done = client.get_segment_estimate(DomainName=D, EstimateId=estimate["EstimateId"])
    assert (done["Status"], done["Estimate"]) == ("SUCCEEDED", "16")
    ids = {profile_id(client, "C001"): "C001", profile_id(client, "C999"): "C999"}
    membership = client.get_segment_membership(DomainName=D, SegmentDefinitionName="Gold", ProfileIds=list(ids))
    assert sorted((ids[p["ProfileId"]], p["QueryResult"]) for p in membership["Profiles"]) == [("C001", "ABSENT"), ("C999", "PRESENT")]


def test_injected_faults_and_deletes(client):
    admin("POST", "/faults", {"operation": "GetDomain", "error": "ThrottlingException"})
    with pytest.raises(client.exceptions.ThrottlingException):
        client.get_domain(DomainName=D)
    admin("POST", "/faults", {"operation": "GetDomain", "error": "InternalServerException"})
    with pytest.raises(client.exceptions.InternalServerException):
        client.get_domain(DomainName=D)
    client.delete_segment_definition(DomainName=D, SegmentDefinitionName="Gold")
    client.delete_recommender(DomainName=D, RecommenderName="ForYou")
    client.delete_domain_object_type(DomainName=D, ObjectTypeName="WebEvents")
    for name in (D, "other-a", "other-b"):
        client.delete_domain(DomainName=name)
    assert client.list_domains().get("Items", []) == []
