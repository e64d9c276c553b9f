"""The lab's GraphQL: types, queries and mutations over ``civicgraph.services.lab``."""
