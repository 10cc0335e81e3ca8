import { graphql } from './gql/index.js';

/** The operations this client runs; codegen types their results and variables. */
export const PublicMenu = graphql(`
  query PublicMenu($slug: String!) {
    restaurant(slug: $slug) {
      name
      currency
      menu {
        name
        items {
          name
          price {
            amount
            currency
          }
        }
      }
    }
  }
`);

export const SignIn = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      accessToken
    }
  }
`);

export const MyRestaurants = graphql(`
  query MyRestaurants {
    me {
      email
      memberships {
        role
        restaurant {
          slug
        }
      }
    }
  }
`);
